import { modelChunk } from './test-support/model-chunk.ts';

modelChunk('chunk b', 80, 'postgres');
