import { modelChunk } from './test-support/model-chunk.ts';

modelChunk('chunk e', 80);
