import { describeStore } from '../store-conformance.js';
import { memoryStore } from './memory-store.js';

describeStore('memoryStore', async () => ({ store: memoryStore() }));
