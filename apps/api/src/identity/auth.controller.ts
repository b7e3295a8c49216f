import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  AuthService,
  AuthThrottle,
  ErrorResponseDto,
  LoginResponseDto,
  MemberLoginRequestDto,
  RefreshTokenRequestDto,
  StaffLoginRequestDto,
  TokenResponseDto,
} from '@app/identity';

@ApiTags('auth')
@AuthThrottle()
@ApiBadRequestResponse({ type: ErrorResponseDto })
@ApiUnauthorizedResponse({
  description: 'Invalid credentials or token (one generic message)',
  type: ErrorResponseDto,
})
@Controller('v1/auth')
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Post('member/login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Member login by email or phone' })
  @ApiOkResponse({ type: LoginResponseDto })
  async memberLogin(@Body() body: MemberLoginRequestDto): Promise<LoginResponseDto> {
    return LoginResponseDto.fromLogin(await this.auth.loginMember(body));
  }

  @Post('staff/login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Staff login' })
  @ApiOkResponse({ type: LoginResponseDto })
  async staffLogin(@Body() body: StaffLoginRequestDto): Promise<LoginResponseDto> {
    return LoginResponseDto.fromLogin(await this.auth.loginStaff(body));
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair',
    description:
      'Refresh tokens are single-use. Presenting one again revokes every token of that login.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  async refresh(@Body() body: RefreshTokenRequestDto): Promise<TokenResponseDto> {
    return TokenResponseDto.from(await this.auth.refresh(body.refreshToken));
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke the refresh token and every token rotated from the same login' })
  @ApiNoContentResponse()
  async logout(@Body() body: RefreshTokenRequestDto): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }
}
