import type { Config } from '../config/config';
import type { DomainConfig } from '../domains/domain';
import { domainNamed, domainsBut } from '../domains/registry';
import type { StartRequestOf } from '../domains/start-request';

/** What a bridge process consumes: a domain is a topic, a consumer group and how its messages become starts. */
export interface BridgeDomain {
  readonly domain: string;
  readonly topic: string;
  readonly group: string;
  readonly toStart: StartRequestOf;
}

type BridgeDomainConfig = DomainConfig & Pick<Config, 'bridgeDomain'>;

/** The bridge of one registered domain: its topic, group and decoder. */
export function bridgeOf(name: string, config: DomainConfig): BridgeDomain {
  const d = domainNamed(name);
  const { topic, group } = d.source(config);
  return { domain: d.name, topic, group, toStart: d.toStart };
}

/** The domain BRIDGE_DOMAIN names (one bridge process, or Deployment, per domain). */
export function bridgeDomain(config: BridgeDomainConfig): BridgeDomain {
  return bridgeOf(config.bridgeDomain, config);
}

/** Every domain's topic and group, the one BRIDGE_DOMAIN names first (what `status` reads for each bridge). */
export function allBridgeDomains(config: BridgeDomainConfig): [BridgeDomain, ...BridgeDomain[]] {
  const configured = bridgeDomain(config);
  const others = domainsBut(configured.domain).map((d) => bridgeOf(d.name, config));
  return [configured, ...others];
}

/**
 * The configuration a bridge of `domain` runs with: its topic and group in the places the bridge's parts read them
 * (consumer, lag, metrics labels, readiness), everything else as configured.
 */
export function domainConfig(config: Config, domain: BridgeDomain): Config {
  return { ...config, eventsTopic: domain.topic, consumerGroup: domain.group };
}
