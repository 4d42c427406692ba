// Every entity, in the list the DataSource registers.
import { AccountLinkEntity } from './account-link.entity.js';
import { ApiTokenEntity, ApiTokenSettingsEntity } from './api-token.entity.js';
import { AppSettingEntity } from './app-setting.entity.js';
import { AuditChainEntity } from './audit-chain.entity.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { EvidenceEntity } from './evidence.entity.js';
import { EvidenceFileEntity } from './evidence-file.entity.js';
import { EvidenceItemFileEntity } from './evidence-item-file.entity.js';
import { EvidenceLegalHoldEntity } from './evidence-legal-hold.entity.js';
import { FollowUpPolicyEntity } from './follow-up-policy.entity.js';
import { InspectionEntity } from './inspection.entity.js';
import { NotificationEntity } from './notification.entity.js';
import { OrganisationEntity } from './organisation.entity.js';
import { RecommendationMonthDeltaEntity } from './recommendation-month-delta.entity.js';
import { RecommendationStateCountEntity } from './recommendation-state-count.entity.js';
import { RecommendationEntity } from './recommendation.entity.js';
import { UserOrganisationEntity } from './user-organisation.entity.js';
import { UserEntity } from './user.entity.js';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookSubscriptionEntity } from './webhook.entity.js';

export {
  AccountLinkEntity,
  ApiTokenEntity,
  ApiTokenSettingsEntity,
  AppSettingEntity,
  AuditChainEntity,
  AuditEventEntity,
  EvidenceEntity,
  EvidenceFileEntity,
  EvidenceItemFileEntity,
  EvidenceLegalHoldEntity,
  FollowUpPolicyEntity,
  InspectionEntity,
  NotificationEntity,
  OrganisationEntity,
  RecommendationEntity,
  RecommendationMonthDeltaEntity,
  RecommendationStateCountEntity,
  UserEntity,
  UserOrganisationEntity,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookSubscriptionEntity,
};

/** Every entity of the schema, for `DataSource` options and `TypeOrmModule.forFeature`. */
export const entities = [
  OrganisationEntity,
  UserEntity,
  UserOrganisationEntity,
  FollowUpPolicyEntity,
  InspectionEntity,
  RecommendationEntity,
  EvidenceEntity,
  AuditEventEntity,
  AuditChainEntity,
  NotificationEntity,
  AppSettingEntity,
  RecommendationMonthDeltaEntity,
  RecommendationStateCountEntity,
  EvidenceFileEntity,
  EvidenceItemFileEntity,
  EvidenceLegalHoldEntity,
  WebhookSubscriptionEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
  AccountLinkEntity,
  ApiTokenEntity,
  ApiTokenSettingsEntity,
];
export type { ApiTokenScope } from './api-token.entity.js';
export type { EvidenceScanState } from './evidence-file.entity.js';
