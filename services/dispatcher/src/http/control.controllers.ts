import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post, Put, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ControlErrorFilter } from './control-errors.filter';
import { ControlService } from './control.service';
import { Author, OperatorGuard } from './operator.guard';
import type { Codecs } from '@vigie/contracts';
import { CODECS, KAFKA, type Kafka } from '@vigie/nest-kafka';
import { readAudit } from '../control/audit-reader';
import type { ChangeAuthor } from '../control/control-writer';

interface StatusResponse {
  status(code: number): void;
}

/** 201 for a new entity, 200 for a replaced one. */
const answer = (response: StatusResponse, created: boolean, body: unknown): unknown => {
  response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
  return body;
};

@Controller('v1/agencies')
@UseGuards(OperatorGuard)
@UseFilters(ControlErrorFilter)
export class AgenciesController {
  constructor(@Inject(ControlService) private readonly control: ControlService) {}

  @Get()
  list() {
    return { agencies: this.control.list('agency') };
  }

  @Get(':agencyId')
  get(@Param('agencyId') id: string) {
    return this.control.get('agency', id, 'agency');
  }

  @Put(':agencyId')
  async put(@Param('agencyId') id: string, @Body() body: unknown, @Author() author: ChangeAuthor, @Res({ passthrough: true }) response: StatusResponse) {
    return answer(response, await this.control.putAgency(id, body, author), this.control.get('agency', id, 'agency'));
  }

  @Delete(':agencyId')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('agencyId') id: string, @Author() author: ChangeAuthor): Promise<void> {
    await this.control.deleteAgency(id, author);
  }
}

@Controller('v1/subscriptions')
@UseGuards(OperatorGuard)
@UseFilters(ControlErrorFilter)
export class SubscriptionsController {
  constructor(@Inject(ControlService) private readonly control: ControlService) {}

  @Get()
  list(@Query('agencyId') agencyId?: string) {
    return { subscriptions: this.control.list('subscription', (s) => agencyId === undefined || s.agencyId === agencyId) };
  }

  @Get(':subscriptionId')
  get(@Param('subscriptionId') id: string) {
    return this.control.get('subscription', id, 'subscription');
  }

  @Put(':subscriptionId')
  async put(@Param('subscriptionId') id: string, @Body() body: unknown, @Author() author: ChangeAuthor, @Res({ passthrough: true }) response: StatusResponse) {
    return answer(response, await this.control.putSubscription(id, body, author), this.control.get('subscription', id, 'subscription'));
  }

  @Delete(':subscriptionId')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('subscriptionId') id: string, @Author() author: ChangeAuthor): Promise<void> {
    await this.control.remove('subscription', id, `subscription "${id}"`, author);
  }
}

@Controller('v1/policy')
@UseGuards(OperatorGuard)
@UseFilters(ControlErrorFilter)
export class PolicyController {
  constructor(@Inject(ControlService) private readonly control: ControlService) {}

  @Get()
  get() {
    return {
      communities: this.control.list('community'),
      agreements: this.control.list('agreement'),
      redaction: this.control.list('redactionPolicy')[0] ?? null,
    };
  }

  @Put('communities/:communityId')
  async putCommunity(@Param('communityId') id: string, @Body() body: unknown, @Author() author: ChangeAuthor, @Res({ passthrough: true }) response: StatusResponse) {
    return answer(response, await this.control.putCommunity(id, body, author), this.control.get('community', id, 'community'));
  }

  @Delete('communities/:communityId')
  @HttpCode(HttpStatus.NO_CONTENT)
  async removeCommunity(@Param('communityId') id: string, @Author() author: ChangeAuthor): Promise<void> {
    await this.control.remove('community', id, `community "${id}"`, author);
  }

  @Put('agreements/:agreementId')
  async putAgreement(@Param('agreementId') id: string, @Body() body: unknown, @Author() author: ChangeAuthor, @Res({ passthrough: true }) response: StatusResponse) {
    return answer(response, await this.control.putAgreement(id, body, author), this.control.get('agreement', id, 'agreement'));
  }

  @Delete('agreements/:agreementId')
  @HttpCode(HttpStatus.NO_CONTENT)
  async removeAgreement(@Param('agreementId') id: string, @Author() author: ChangeAuthor): Promise<void> {
    await this.control.remove('agreement', id, `agreement "${id}"`, author);
  }

  @Put('redaction')
  async putRedaction(@Body() body: unknown, @Author() author: ChangeAuthor) {
    await this.control.putRedaction(body, author);
    return this.control.get('redactionPolicy', 'redaction', 'redaction policy');
  }
}

@Controller('v1/silences')
@UseGuards(OperatorGuard)
@UseFilters(ControlErrorFilter)
export class SilencesController {
  constructor(@Inject(ControlService) private readonly control: ControlService) {}

  @Get()
  list(@Query('active') active?: string) {
    return { silences: this.control.list('silence', (s) => active !== 'true' || this.control.isActive(s)) };
  }

  @Get(':silenceId')
  get(@Param('silenceId') id: string) {
    return this.control.get('silence', id, 'silence');
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  async add(@Body() body: unknown, @Author() author: ChangeAuthor) {
    const silence = await this.control.addSilence(body, author);
    return this.control.get('silence', silence.silenceId, 'silence');
  }

  /** Ends the silence now: what it held is released. */
  @Delete(':silenceId')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('silenceId') id: string, @Author() author: ChangeAuthor): Promise<void> {
    await this.control.remove('silence', id, `silence "${id}"`, author);
  }
}

@Controller('v1')
@UseGuards(OperatorGuard)
@UseFilters(ControlErrorFilter)
export class AcknowledgementsController {
  constructor(@Inject(ControlService) private readonly control: ControlService) {}

  @Get('acknowledgements')
  list() {
    return { acknowledgements: this.control.list('acknowledgement') };
  }

  @Put('alerts/:alertId/acknowledgement')
  async acknowledge(@Param('alertId') alertId: string, @Body() body: unknown, @Author() author: ChangeAuthor, @Res({ passthrough: true }) response: StatusResponse) {
    return answer(response, await this.control.acknowledge(alertId, body, author), this.control.get('acknowledgement', alertId, 'acknowledgement'));
  }

  @Delete('alerts/:alertId/acknowledgement')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('alertId') alertId: string, @Author() author: ChangeAuthor): Promise<void> {
    await this.control.remove('acknowledgement', alertId, `acknowledgement of "${alertId}"`, author);
  }
}


@Controller('v1/audit')
@UseGuards(OperatorGuard)
@UseFilters(ControlErrorFilter)
export class AuditController {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(CODECS) private readonly codecs: Codecs,
  ) {}

  /** Every change to agencies, subscriptions, policy, silences and acknowledgements: who, when, why. */
  @Get()
  async list(@Query('key') key?: string, @Query('limit') limit?: string) {
    const max = Math.min(Math.max(Number(limit ?? 100) || 100, 1), 10_000);
    return { entries: await readAudit(this.kafka, this.codecs, key ?? '', max) };
  }
}

export const CONTROL_CONTROLLERS = [AgenciesController, SubscriptionsController, PolicyController, SilencesController, AcknowledgementsController, AuditController];
