import { describeBus } from '../bus-conformance.js';
import { localBus, LocalBusNetwork } from './local-bus.js';

describeBus('local', async (t, count) => {
  const network = new LocalBusNetwork();
  const buses = Array.from({ length: count }, () => localBus({ network }));
  t.after(() => Promise.all(buses.map((bus) => bus.close())));
  return buses;
});
