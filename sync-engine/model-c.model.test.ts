import { modelChunk } from './test-support/model-chunk.ts';

modelChunk('chunk c', 80, 'postgres');
