import { chimeProvider, type MediaProvider } from '@proctorkit/server-kit';

/** The media provider the environment asks for, and a line saying which it is; or why it cannot be had. */
export type ProviderChoice = { ok: true; provider: MediaProvider | undefined; summary: string } | { ok: false; message: string };

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Reads the demo site's media provider from the environment:
 *
 * - `PROCTOR_PROVIDER`: `local` (default) or `chime`.
 * - `AWS_REGION`: the Chime SDK meetings API's Region; credentials come from the AWS SDK's chain.
 * - `PROCTOR_CHIME_ENDPOINT`: another control plane, e.g. `npm run fake:chime`'s; then a Region is
 *   optional and dummy credentials are used when the environment names none.
 * - `PROCTOR_CHIME_TPS`: requests per second to Chime (the provider's `maxRequestsPerSecond`).
 * - `PROCTOR_CHIME_MEDIA_REGION`: where meetings' media is hosted. Default: the Region.
 */
export function providerFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderChoice {
  const name = (env.PROCTOR_PROVIDER ?? '').trim() || 'local';
  if (name === 'local') return { ok: true, provider: undefined, summary: 'local (browser WebRTC, signaled through this server)' };
  if (name !== 'chime') return { ok: false, message: `PROCTOR_PROVIDER must be "local" or "chime", not "${name}".` };

  const endpoint = env.PROCTOR_CHIME_ENDPOINT?.trim() || undefined;
  if (endpoint !== undefined && !isHttpUrl(endpoint)) {
    return { ok: false, message: `PROCTOR_CHIME_ENDPOINT must be a URL such as http://127.0.0.1:4566, not "${endpoint}".` };
  }
  const awsRegion = env.AWS_REGION?.trim() || undefined;
  if (awsRegion === undefined && endpoint === undefined) {
    return {
      ok: false,
      message: 'PROCTOR_PROVIDER=chime needs AWS_REGION (the Chime SDK meetings API\'s Region, e.g. us-east-1), or PROCTOR_CHIME_ENDPOINT for a local fake (npm run fake:chime).',
    };
  }
  // A fake ignores the Region, but the SDK signs every request with one.
  const region = awsRegion ?? 'us-east-1';
  if (!REGION.test(region)) return { ok: false, message: `AWS_REGION must be an AWS Region such as us-east-1, not "${region}".` };
  const mediaRegion = env.PROCTOR_CHIME_MEDIA_REGION?.trim() || region;
  if (!REGION.test(mediaRegion)) {
    return { ok: false, message: `PROCTOR_CHIME_MEDIA_REGION must be an AWS Region such as eu-central-1, not "${mediaRegion}".` };
  }
  const tpsText = env.PROCTOR_CHIME_TPS?.trim();
  const tps = tpsText === undefined || tpsText === '' ? 10 : Number(tpsText);
  if (!(tps > 0) || !Number.isFinite(tps)) {
    return { ok: false, message: `PROCTOR_CHIME_TPS must be a number of requests per second > 0, not "${tpsText}".` };
  }
  // Against a fake, any credentials do; against AWS, the SDK's chain finds them.
  const dummyCredentials = endpoint !== undefined && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE;

  const provider = chimeProvider({
    region,
    mediaRegion,
    maxRequestsPerSecond: tps,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(dummyCredentials ? { credentials: { accessKeyId: 'AKIDPROCTORKITDEMO', secretAccessKey: 'not-a-secret' } } : {}),
  });
  const where = endpoint === undefined ? `Chime SDK meetings in ${region}` : `the Chime control plane at ${endpoint}`;
  const credentials = dummyCredentials ? 'dummy credentials' : "the AWS SDK's credentials";
  return { ok: true, provider, summary: `chime (${where}, media in ${mediaRegion}, ${tps} requests/s, ${credentials})` };
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
