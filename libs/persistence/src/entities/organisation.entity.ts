// The organisations table: the forces and services inspected.
import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { VersionedEntity } from './versioned.entity.js';

/** A force (police force or fire and rescue service). */
@Entity({ name: 'organisations' })
@Unique('uq_organisations_code', ['code'])
@Check('ck_organisations_code_format', `code ~ '^[A-Z0-9-]{1,40}$'`)
export class OrganisationEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_organisations' })
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  code: string;

  /** Its people sign in only through the identity provider: no password sign-in, reset or invitation. */
  @Column('boolean', { name: 'sso_only', default: false })
  ssoOnly: boolean;
}
