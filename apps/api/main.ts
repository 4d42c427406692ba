// The API process: builds the app and listens on PORT.
import 'reflect-metadata';
import { APP_CONFIG, type AppConfig } from '#config';
import { createApiApp } from './src/bootstrap.js';

const app = await createApiApp();
await app.listen(app.get<AppConfig>(APP_CONFIG).env.PORT);
