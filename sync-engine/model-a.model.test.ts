import { modelChunk } from './test-support/model-chunk.ts';

modelChunk('chunk a', 80, 'postgres');
