// `npm run openapi`: writes the API's OpenAPI document to docs/openapi.json from the routes' metadata alone (no
// database, no Redis).
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { ApiModule } from './src/api.module.js';
import { openApiDocument } from './src/http/openapi.js';

/** The document as committed: two-space JSON with a final newline, so that a regenerated one diffs cleanly. */
const serialiseDocument = (document: object): string => `${JSON.stringify(document, null, 2)}\n`;

const target = process.argv[2] ?? 'docs/openapi.json';
// Preview mode builds the module graph without instantiating a provider: nothing connects anywhere.
const app = await NestFactory.create(ApiModule, { preview: true, logger: false });
writeFileSync(target, serialiseDocument(openApiDocument(app)));
await app.close();
console.log(`wrote ${target}`);
