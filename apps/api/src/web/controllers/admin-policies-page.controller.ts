// `/admin/policies`: follow-up policies per programme and the form that adds one (PoliciesService offers no edit).
import { Body, Controller, Get, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PoliciesService } from '#application';
import { Page } from '#auth';
import { Role, type Actor } from '#domain';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import {
  periodFromText,
  policyAddedFlash,
  policyFormModel,
  policyListModel,
  policyProblems,
  programmeHasPolicy,
  readPolicyForm,
} from '../view-models/admin-policies.js';
import { isConflict } from '../view-models/form-fields.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page(Role.Admin)
@Controller('admin/policies')
export class AdminPoliciesPageController {
  constructor(
    private readonly policies: PoliciesService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async list(@Res() res: Response): Promise<void> {
    this.pages.render(res, 'admin/policies', policyListModel(await this.policies.list()));
  }

  @Get('new')
  form(@Res() res: Response): void {
    this.pages.render(res, 'admin/policy-new', policyFormModel());
  }

  @Post('new')
  async create(@PageActor() actor: Actor, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const form = readPolicyForm(body);
    const problems = policyProblems(form);
    const actionPlanAfter = periodFromText(form.actionPlanAfter);
    const revisitAfter = periodFromText(form.revisitAfter);
    if (problems.length > 0 || !actionPlanAfter || !revisitAfter)
      return this.pages.render(res, 'admin/policy-new', policyFormModel(form, problems), 400);
    try {
      await this.policies.create(actor, { programme: form.programme, actionPlanAfter, revisitAfter });
      this.pages.redirect(res, '/admin/policies', policyAddedFlash(form.programme, actionPlanAfter, revisitAfter));
    } catch (error) {
      if (!isConflict(error)) throw error;
      this.pages.render(res, 'admin/policy-new', policyFormModel(form, [programmeHasPolicy(form.programme)]), 409);
    }
  }
}
