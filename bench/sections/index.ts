import type { Benchmark } from '../context.js';
import { httpThroughput } from './http.js';
import { loginCost } from './login.js';
import { coldStart } from './startup.js';
import { memory } from './memory.js';
import { directorySearch } from './directory.js';
import { checksDelivery } from './checks.js';
import { intelStore } from './intel.js';
import { conversions } from './conversions.js';
import { lighthouseFirstLoad } from './lighthouse.js';
import { knowledgeSearch } from './knowledge.js';
import { capacityMatching, capacityRegistrations } from './capacity.js';
import { situationPicture } from './situation.js';
import { sitrepStream } from './sitrep-stream.js';

/**
 * Every benchmark, in the order they run and appear in BENCHMARKS.md. Add new ones (directory
 * search, STIX ingest, …) before `memory`, which reports the memory the others left behind.
 */
export const BENCHMARKS: Benchmark[] = [httpThroughput, loginCost, coldStart, directorySearch, knowledgeSearch, capacityMatching, capacityRegistrations, situationPicture, checksDelivery, intelStore, conversions, lighthouseFirstLoad, sitrepStream, memory];
