import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '@app/config';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AuditLogRepository } from './audit/audit-log.repository';
import { AuthRateLimit } from './auth/auth-rate-limit';
import { AuthGuard } from './auth/auth.guard';
import { HttpAuthenticator } from './auth/http-authenticator';
import { AuthService } from './auth/auth.service';
import { OperatorGuard } from './auth/operator.guard';
import { RefreshTokensRepository } from './auth/refresh-tokens.repository';
import { TokensService } from './auth/tokens.service';
import { BrandsRepository } from './brands/brands.repository';
import { BrandsService } from './brands/brands.service';
import { MembersRepository } from './members/members.repository';
import { MembersService } from './members/members.service';
import { PasswordHasher } from './passwords/password-hasher';
import { StaffRepository } from './staff/staff.repository';
import { StaffService } from './staff/staff.service';

/**
 * Brands (tenants), members, staff, storefront API keys and authentication. Needs the global
 * ConfigModule, DbModule and OutboxModule; apps import it and use its decorators and services.
 */
@Module({
  // Secrets and options are passed per call: access and refresh tokens use different secrets.
  imports: [JwtModule.register({})],
  providers: [
    {
      provide: PasswordHasher,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new PasswordHasher(config.auth.scryptCost),
    },
    AuthRateLimit,
    BrandsRepository,
    MembersRepository,
    StaffRepository,
    ApiKeysRepository,
    RefreshTokensRepository,
    AuditLogRepository,
    BrandsService,
    MembersService,
    StaffService,
    ApiKeysService,
    TokensService,
    AuthService,
    HttpAuthenticator,
    AuthGuard,
    OperatorGuard,
  ],
  exports: [
    PasswordHasher,
    BrandsService,
    MembersService,
    StaffService,
    ApiKeysService,
    TokensService,
    AuthService,
    HttpAuthenticator,
    AuthGuard,
    OperatorGuard,
  ],
})
export class IdentityModule {}
