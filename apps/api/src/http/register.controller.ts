// /register: the public register as open data: no sign-in, cacheable, JSON or CSV per force.
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RegisterService } from '#application';
import { ForceRegisterResponse, RegisterForcesResponse } from '../shared/dto/register.dto.js';
import { ApiEndpoint, ApiPublic, textBody } from './openapi.js';
import { serveRegisterFile } from '../shared/register-file.js';

@ApiTags('register')
@Controller('register')
export class RegisterController {
  constructor(private readonly register: RegisterService) {}

  @ApiPublic()
  @ApiEndpoint('The forces on the public register, with their counts', { status: 200, body: RegisterForcesResponse })
  @Get()
  async forces() {
    return { items: await this.register.forces() };
  }

  @ApiPublic()
  @ApiEndpoint("One force's register: `<code>.json` or `<code>.csv`, with ETag and Last-Modified", {
    status: 200,
    body: [ForceRegisterResponse, textBody('text/csv', 'one row per recommendation')],
    also: [
      { status: 304, description: "Not modified: the client's copy (If-None-Match, If-Modified-Since) is current" },
    ],
    errors: [404],
  })
  @Get(':file')
  force(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return serveRegisterFile(this.register, file, req, res);
  }
}
