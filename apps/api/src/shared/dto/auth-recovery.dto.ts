// Request shape of POST /auth/forgotten-password.
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, MaxLength } from 'class-validator';

export class ForgottenPasswordRequest {
  @ApiProperty()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320, { message: 'email must be 320 characters or fewer' })
  email: string;
}
