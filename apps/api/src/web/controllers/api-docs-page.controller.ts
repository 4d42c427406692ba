// `/docs` (Swagger UI) and `/docs-json` (the OpenAPI document): for everyone, for signed-in people, or for no one, as
// API_DOCS says.
import { createRequire } from 'node:module';
import {
  Controller,
  Get,
  Inject,
  Injectable,
  NotFoundException,
  Req,
  Res,
  UnauthorizedException,
  UseFilters,
} from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiExcludeController, type OpenAPIObject } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SignedOutPage } from '#auth';
import { APP_CONFIG, type AppConfig } from '#config';
import type { Actor } from '#domain';
import { BearerAuth, bearerTokenOf } from '../../shared/bearer-actor.js';
import { SignInRequired } from '../page-errors.js';
import { WebExceptionFilter } from '../web-exception.filter.js';

/**
 * Swagger UI's page, with nothing inline: its styles and start-up script are files of our own, so the page
 * is served under the same strict CSP as every other page (no 'unsafe-inline', no hashes).
 */
const DOCS_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Follow-up Tracker API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="stylesheet" href="/assets/app/api-docs.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/assets/app/api-docs.js"></script>
</body>
</html>
`;

/** Swagger UI's files (the swagger-ui-dist that @nestjs/swagger depends on). */
function swaggerUiFolder(): string {
  const require = createRequire(import.meta.url);
  const absolutePath = require(
    require.resolve('swagger-ui-dist/absolute-path.js', { paths: [require.resolve('@nestjs/swagger')] }),
  ) as () => string;
  return absolutePath();
}

/** The document served at /docs-json, set once the app's routes are known (mountApiDocs). */
@Injectable()
export class ApiDocs {
  document: OpenAPIObject | null = null;
}

@ApiExcludeController()
@Controller()
export class ApiDocsPageController {
  constructor(
    private readonly docs: ApiDocs,
    private readonly bearer: BearerAuth,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // A page rule that does not require sign-in: PageAccessGuard still finds the session's person, and the mode decides.
  @SignedOutPage()
  @UseFilters(WebExceptionFilter)
  @Get('docs')
  async page(@Req() req: Request & { actor?: Actor }, @Res() res: Response): Promise<void> {
    this.assertOn();
    if (this.config.apiDocs === 'signed-in' && !req.actor) throw new SignInRequired();
    res.status(200).type('html').setHeader('Cache-Control', 'no-store');
    res.send(DOCS_PAGE);
  }

  @SignedOutPage()
  @Get('docs-json')
  async document(@Req() req: Request & { actor?: Actor }, @Res() res: Response): Promise<void> {
    this.assertOn();
    if (this.config.apiDocs === 'signed-in' && !req.actor && !(await this.bearerActor(req))) {
      throw new UnauthorizedException(
        'sign in, or send a bearer token, to read the API documentation (API_DOCS=signed-in)',
      );
    }
    res.status(200).setHeader('Cache-Control', 'no-store');
    res.json(this.docs.document);
  }

  private assertOn(): void {
    if (this.config.apiDocs === 'off' || !this.docs.document) throw new NotFoundException();
  }

  /** The person a valid bearer token (JWT or personal API token) names, as AccessGuard reads it, or null. */
  private async bearerActor(req: Request): Promise<Actor | null> {
    const token = bearerTokenOf(req.headers.authorization);
    return token ? this.bearer.actorOrNull(token) : null;
  }
}

/**
 * Publishes the document and Swagger UI's files under /docs/assets, unless API_DOCS=off. Call once the routes are
 * registered.
 */
export function mountApiDocs(app: NestExpressApplication, document: () => OpenAPIObject): void {
  if (app.get<AppConfig>(APP_CONFIG).apiDocs === 'off') return;
  app.get(ApiDocs).document = document();
  app.useStaticAssets(swaggerUiFolder(), {
    prefix: '/docs/assets',
    index: false,
    maxAge: '1h',
    fallthrough: true,
    dotfiles: 'ignore',
  });
}
