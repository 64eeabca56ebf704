import { DEMO_EXAM_ID, bindServer, createExamSite } from './app.js';
import { openDataDir, type DataDir } from './data-dir.js';
import { providerFromEnv } from './provider-from-env.js';
import { busFromEnv } from './bus-from-env.js';
import { recordingFromEnv } from './recording-from-env.js';
import { storeFromEnv } from './store-from-env.js';
import { ownReceiverEndpoint, webhookFromEnv } from './webhook-from-env.js';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const media = providerFromEnv(process.env);
if (!media.ok) {
  console.error(`exam-site: ${media.message}`);
  process.exit(2);
}

let data: DataDir;
try {
  data = openDataDir(process.env.PROCTOR_DATA_DIR || 'proctorkit-data');
} catch (error) {
  console.error(`exam-site: ${(error as Error).message}`);
  process.exit(2);
}

const storage = storeFromEnv(process.env, data);
if (!storage.ok) {
  console.error(`exam-site: ${storage.message}`);
  process.exit(2);
}

try {
  await storage.store.listSessions(DEMO_EXAM_ID);
} catch (error) {
  console.error(`exam-site: the store cannot be used: ${(error as Error).message.split('\n')[0]}`);
  process.exit(2);
}

const recording = recordingFromEnv(process.env, data);
if (!recording.ok) {
  console.error(`exam-site: ${recording.message}`);
  process.exit(2);
}

const hooks = webhookFromEnv(process.env);
if (!hooks.ok) {
  console.error(`exam-site: ${hooks.message}`);
  process.exit(2);
}

const sharing = busFromEnv(process.env);
if (!sharing.ok) {
  console.error(`exam-site: ${sharing.message}`);
  process.exit(2);
}
try {
  // One spend from a bucket nobody else uses: answers only if Redis does.
  await sharing.bus?.take('exam-site.start', 1, 1_000_000, 1_000_000);
} catch (error) {
  console.error(`exam-site: Redis cannot be used: ${(error as Error).message.split('\n')[0]}`);
  process.exit(2);
}

// Listening first: the kit is made knowing the port, which its webhooks to this site's own receiver need.
const { server, url } = await bindServer(port, host);
const ownReceiver = hooks.endpoint ? undefined : ownReceiverEndpoint(server);
const endpoint = hooks.endpoint ?? ownReceiver;
const webhooksSummary = hooks.endpoint
  ? `to ${hooks.endpoint.url}`
  : ownReceiver
    ? `to this site's own receiver, listed on ${url}/webhooks`
    : 'none: the own receiver needs HOST on this machine (the kit sends http:// only there); set PROCTOR_WEBHOOK_URL';
const site = createExamSite({
  data,
  secret: process.env.PROCTOR_SECRET,
  logLevel: process.env.PROCTOR_LOG_LEVEL as never,
  provider: media.provider,
  store: storage.store,
  bus: sharing.bus,
  recording,
  ...(endpoint && { webhook: { endpoint, ownReceiver: !!ownReceiver } }),
});
site.serve(server);
console.log(
  [
    `Proctorkit demo exam site on ${url}`,
    `  media:      ${media.summary}`,
    `  sessions:   ${storage.summary}`,
    `  instances:  ${sharing.summary}`,
    `  recordings: ${recording.summary}`,
    `  webhooks:   ${webhooksSummary}`,
    `  candidate:  ${url}/candidate?name=Alice`,
    `  supervisor: ${url}/supervisor`,
    `  review:     ${url}/review   (replay, flags, notes, verdicts, reports)`,
    `  setup test: ${url}/check   (the phone page, ${url}/phone, opens from the candidate's pairing code)`,
    `  data:       ${data.directory} (sessions, logs, photos, recordings, the secret: delete it to start afresh)`,
  ].join('\n'),
);

const stop = async () => {
  await site.kit.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
