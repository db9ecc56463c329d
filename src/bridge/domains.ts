import type { Config } from '../config/config';
import { CLAIMX_DOMAIN, XACT_DOMAIN } from '../shared/ids';
import { type StartRequestOf, toClaimxStartRequest, toStartRequest } from './start-request';

/** What a bridge process consumes: a domain is a topic, a consumer group and how its messages become starts. */
export interface BridgeDomain {
  readonly domain: string;
  readonly topic: string;
  readonly group: string;
  readonly toStart: StartRequestOf;
}

/** The domain BRIDGE_DOMAIN names (one bridge process, or Deployment, per domain). */
export function bridgeDomain(
  config: Pick<Config, 'bridgeDomain' | 'eventsTopic' | 'consumerGroup' | 'claimxEventsTopic' | 'claimxConsumerGroup'>,
): BridgeDomain {
  return config.bridgeDomain === 'claimx'
    ? {
        domain: CLAIMX_DOMAIN,
        topic: config.claimxEventsTopic,
        group: config.claimxConsumerGroup,
        toStart: toClaimxStartRequest,
      }
    : { domain: XACT_DOMAIN, topic: config.eventsTopic, group: config.consumerGroup, toStart: toStartRequest };
}

/** Every domain's topic and group, the one BRIDGE_DOMAIN names first (what `status` reads for each bridge). */
export function allBridgeDomains(config: Parameters<typeof bridgeDomain>[0]): BridgeDomain[] {
  const configured = bridgeDomain(config);
  const others = (['xact', 'claimx'] as const)
    .map((d) => bridgeDomain({ ...config, bridgeDomain: d }))
    .filter((d) => d.domain !== configured.domain);
  return [configured, ...others];
}

/**
 * The configuration a bridge of `domain` runs with: its topic and group in the places the bridge's parts read them
 * (consumer, lag, metrics labels, readiness), everything else as configured.
 */
export function domainConfig(config: Config, domain: BridgeDomain): Config {
  return { ...config, eventsTopic: domain.topic, consumerGroup: domain.group };
}
