// Request and answer shapes of /auth: signing in for a bearer token.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { UserResponse } from './users.dto.js';

export class LoginRequest {
  @ApiProperty() @IsEmail({}, { message: 'email must be an email address' }) email: string;
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'password is required' }) @MaxLength(1024) password: string;
  @ApiPropertyOptional({
    description: 'for someone with two-factor sign-in on: the code their authenticator app shows, or a recovery code',
  })
  @IsOptional()
  @IsString({ message: 'code must be text' })
  @MaxLength(32, { message: 'code must be 32 characters or fewer' })
  code?: string;
}

export class LoginResponse {
  @ApiProperty({
    type: String,
    description: 'send as `Authorization: Bearer <accessToken>`; POST /auth/logout ends it',
  })
  accessToken: string;
  @ApiProperty({ type: UserResponse }) user: UserResponse;
}
