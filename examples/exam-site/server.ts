import { createExamSite } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const site = createExamSite({ secret: process.env.PROCTOR_SECRET, logLevel: process.env.PROCTOR_LOG_LEVEL as never });
const { server, url } = await site.listen(port, host);
console.log(`Proctorkit demo exam site on ${url}`);
console.log(`  candidate:  ${url}/candidate?name=Alice`);
console.log(`  supervisor: ${url}/supervisor`);

const stop = async () => {
  await site.kit.close();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
