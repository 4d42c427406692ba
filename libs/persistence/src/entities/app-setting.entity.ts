// Settings the application keeps in the database (such as a generated JWT secret), by key.
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Process-shared settings generated once (e.g. the JWT signing secret). */
@Entity({ name: 'app_settings' })
export class AppSettingEntity {
  @PrimaryColumn('text', { primaryKeyConstraintName: 'pk_app_settings' })
  key: string;

  @Column('text')
  value: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
