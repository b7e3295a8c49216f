import {
  Body,
  Controller,
  Delete,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Patch,
  Put,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  CommentResponseDto,
  CommentsService,
  ReactionRequestDto,
  ReactionResponseDto,
  ReactionsService,
  UpdateCommentRequestDto,
} from '@app/community';
import {
  CurrentPrincipal,
  ErrorResponseDto,
  MemberAuth,
  type MemberPrincipal,
  ParseUuidPipe,
} from '@app/identity';

/** One comment: edit, delete, react (members). */
@ApiTags('comments')
@MemberAuth()
@Controller('v1/comments/:id')
export class CommentsController {
  constructor(
    @Inject(CommentsService) private readonly comments: CommentsService,
    @Inject(ReactionsService) private readonly reactions: ReactionsService,
  ) {}

  @Patch()
  @ApiOperation({ summary: 'Edit my comment (author); screened again' })
  @ApiOkResponse({ type: CommentResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto })
  async update(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: UpdateCommentRequestDto,
  ): Promise<CommentResponseDto> {
    return CommentResponseDto.from(await this.comments.update(member, id, body));
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete my comment (author): status `deleted`' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async remove(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<void> {
    await this.comments.delete(member, id);
  }

  @Put('reaction')
  @ApiOperation({ summary: 'React to the comment (one per member; a new kind replaces the old)' })
  @ApiOkResponse({ type: ReactionResponseDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async react(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
    @Body() body: ReactionRequestDto,
  ): Promise<ReactionResponseDto> {
    return ReactionResponseDto.from(
      await this.reactions.react(member, { targetType: 'comment', targetId: id }, body.kind),
    );
  }

  @Delete('reaction')
  @ApiOperation({ summary: 'Remove my reaction to the comment (a no-op when none)' })
  @ApiOkResponse({ type: ReactionResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async unreact(
    @CurrentPrincipal() member: MemberPrincipal,
    @Param('id', ParseUuidPipe) id: string,
  ): Promise<ReactionResponseDto> {
    return ReactionResponseDto.from(
      await this.reactions.react(member, { targetType: 'comment', targetId: id }, null),
    );
  }
}
