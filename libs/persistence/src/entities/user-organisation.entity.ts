// Which organisations each user belongs to (liaisons) or manages (scoped managers).
import { Entity, Index, PrimaryColumn } from 'typeorm';

/** Which organisations a user is scoped to (liaison: theirs; manager: none means all). */
@Entity({ name: 'user_organisations' })
@Index('ix_user_organisations_organisation_id', ['organisationId'])
export class UserOrganisationEntity {
  /** FK users ON DELETE CASCADE. */
  @PrimaryColumn('uuid', { name: 'user_id', primaryKeyConstraintName: 'pk_user_organisations' })
  userId: string;

  /** FK organisations. */
  @PrimaryColumn('uuid', { name: 'organisation_id', primaryKeyConstraintName: 'pk_user_organisations' })
  organisationId: string;
}
