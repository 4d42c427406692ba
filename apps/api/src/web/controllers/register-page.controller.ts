// `/register` and `/register/<code>`: the public register as pages, open to anyone, signed in or not.
import { Controller, Get, Param, Req, Res, UseFilters, Version } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RegisterService } from '#application';
import { SignedOutPage } from '#auth';
import { REGISTER_FILE, serveRegisterFile } from '../../shared/register-file.js';
import { PAGE_VERSION } from '../../shared/negotiation.js';
import { PageRenderer } from '../page-renderer.js';
import { registerListModel, registerModel } from '../view-models/records/register.js';
import { WebExceptionFilter } from '../web-exception.filter.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('register')
export class RegisterPageController {
  constructor(
    private readonly register: RegisterService,
    private readonly pages: PageRenderer,
  ) {}

  @SignedOutPage()
  @Version(PAGE_VERSION)
  @Get()
  async forces(@Res() res: Response): Promise<void> {
    this.pages.render(res, 'register-forces', registerListModel(await this.register.forces()));
  }

  @SignedOutPage()
  @Version(PAGE_VERSION)
  @Get(':code')
  async force(@Param('code') code: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    // A browser following a download link reaches this route first: serve the file as the API does.
    if (REGISTER_FILE.test(code)) return serveRegisterFile(this.register, code, req, res);
    this.pages.render(res, 'register-force', registerModel(await this.register.register(code)));
  }
}
