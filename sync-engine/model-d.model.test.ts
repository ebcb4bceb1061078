import { modelChunk } from './test-support/model-chunk.ts';

modelChunk('chunk d', 80);
