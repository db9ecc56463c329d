# Sourced by scripts/cluster.sh (the cluster profile of the local stack): the passwords and the CA and certificates, made once per state folder. Uses its variables and helpers.
# shellcheck shell=bash disable=SC2154

# ---- secrets and certificates (made once per state folder) ----

secrets() {
  local file="$STATE/secrets.env"
  command -v openssl >/dev/null || die "openssl is missing"
  if [ ! -f "$file" ]; then
    mkdir -p "$STATE"
    (umask 077 && printf 'KAFKA_ADMIN_PASSWORD=%s\nKAFKA_PIPELINE_PASSWORD=%s\nSTORE_PASSWORD=%s\n' \
      "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" >"$file")
  fi
  # shellcheck source=/dev/null
  source "$file"
}

certificates() {
  [ -f "$TLS/broker.p12" ] && return
  command -v openssl >/dev/null || die "openssl is missing"
  mkdir -p "$TLS"
  (
    cd "$TLS"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=kafka-pipeline local cluster CA" \
      -keyout ca.key -out ca.pem 2>/dev/null
    # One server certificate for the Temporal services and the brokers (both on 127.0.0.1), usable as a client
    # certificate between Temporal's services; one client certificate for the pipeline and the CLI.
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n' >server.ext
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    for who in server client; do
      local cn=localhost; [ "$who" = client ] && cn=kafka-pipeline
      openssl req -newkey rsa:2048 -nodes -subj "/CN=$cn" -keyout "$who.key" -out "$who.csr" 2>/dev/null
      openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -out "$who.pem" \
        -extfile "$who.ext" 2>/dev/null
      rm -f "$who.csr"
    done
    openssl pkcs12 -export -in server.pem -inkey server.key -certfile ca.pem -name broker -out broker.p12 \
      -passout "pass:$STORE_PASSWORD"
    chmod 644 ca.pem server.pem client.pem
  ) || die "making the certificates failed"
  log "certificates made in $TLS (CA, server for 127.0.0.1/localhost, client kafka-pipeline)"
}
