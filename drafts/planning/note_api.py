"""JSON API of calendar notes (/api/boards/{id}/notes/), a draft's deadline (/api/drafts/{id}/deadline/) and
a board's best-time hints (/api/boards/{id}/best-times/). Thin: parse input, call a selector or service."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from drafts.planning import deadline_services, note_selectors, note_services
from drafts.planning.best_times import best_times_for_board
from drafts.planning.deadline_selectors import deadline_of
from drafts.planning.note_serializers import (
    BoardBestTimesSerializer,
    DeadlineSerializer,
    DeadlineSetSerializer,
    NoteCreateSerializer,
    NoteListSerializer,
    NoteSerializer,
    NoteUpdateSerializer,
    NoteWindowSerializer,
)
from drafts.selectors import draft_get_for_user

WINDOW = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (YYYY-MM-DD).", required=False),
    OpenApiParameter(
        "to", OpenApiTypes.DATE, description="Last day (YYYY-MM-DD), at most 400 days after `from`.", required=False
    ),
]


class BoardNotesView(APIView):
    """A board's calendar notes: members read them, reviewers and managers add them."""

    @extend_schema(parameters=WINDOW, responses=NoteListSerializer, operation_id="board_notes_list")
    def get(self, request, board_id: int):
        board = note_selectors.notes_board_get(request.user, pk=board_id)
        window = NoteWindowSerializer(data=request.query_params)
        window.is_valid(raise_exception=True)
        starts, ends = note_selectors.note_window(
            starts=window.validated_data.get("from"),
            ends=window.validated_data.get("to"),
            today=note_selectors.board_today(board),
        )
        notes = list(note_selectors.notes_in_window(board, starts=starts, ends=ends))
        body = {
            "from": starts,
            "to": ends,
            "truncated": len(notes) >= note_selectors.NOTE_LIST_MAX_ROWS,
            "results": notes,
        }
        return Response(NoteListSerializer(body).data)

    @extend_schema(request=NoteCreateSerializer, responses={201: NoteSerializer}, operation_id="board_notes_create")
    def post(self, request, board_id: int):
        board = note_selectors.notes_board_get(request.user, pk=board_id)
        if not note_selectors.may_edit_notes(request.user, board):
            raise note_services.PermissionDenied(note_services.NOT_ALLOWED)
        serializer = NoteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = note_services.calendar_note_create(board=board, actor=request.user, **serializer.validated_data)
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class BoardNoteView(APIView):
    """One calendar note: reviewers and managers change or remove it."""

    @extend_schema(request=NoteUpdateSerializer, responses=NoteSerializer)
    def patch(self, request, board_id: int, note_id: int):
        board = note_selectors.notes_board_get(request.user, pk=board_id)
        note = note_selectors.note_get(board, note_id)
        serializer = NoteUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = note_services.calendar_note_update(
            board=board, note_id=note.pk, actor=request.user, **serializer.validated_data
        )
        return Response(NoteSerializer(note).data)

    @extend_schema(responses={204: None})
    def delete(self, request, board_id: int, note_id: int):
        board = note_selectors.notes_board_get(request.user, pk=board_id)
        note = note_selectors.note_get(board, note_id)
        note_services.calendar_note_delete(board=board, note_id=note.pk, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _deadline_body(draft) -> dict:
    deadline = deadline_of(draft)
    if deadline is None:
        return {"draft_id": draft.pk, "due_at": None, "label": None, "set_by": None, "updated_at": None}
    return {
        "draft_id": draft.pk,
        "due_at": deadline.due_at,
        "label": deadline.label,
        "set_by": deadline.set_by.username if deadline.set_by else None,
        "updated_at": deadline.updated_at,
    }


class DraftDeadlineView(APIView):
    """A draft's internal deadline ("due for review by Friday"): whoever sees the draft reads it (all fields
    null when there is none); the board's reviewers and managers set (PUT) and clear (DELETE) it."""

    @extend_schema(responses=DeadlineSerializer)
    def get(self, request, draft_id: int):
        draft = draft_get_for_user(request.user, draft_id)
        return Response(DeadlineSerializer(_deadline_body(draft)).data)

    @extend_schema(request=DeadlineSetSerializer, responses=DeadlineSerializer)
    def put(self, request, draft_id: int):
        serializer = DeadlineSetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deadline_services.deadline_set(draft_id=draft_id, actor=request.user, **serializer.validated_data)
        draft = draft_get_for_user(request.user, draft_id)
        return Response(DeadlineSerializer(_deadline_body(draft)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, draft_id: int):
        deadline_services.deadline_clear(draft_id=draft_id, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BoardBestTimesView(APIView):
    """Good hours to post on each kind of the board's active channels, in the board's time zone: from the
    board's own engagement once there is some, otherwise the platform's common defaults (`source`)."""

    @extend_schema(responses=BoardBestTimesSerializer)
    def get(self, request, board_id: int):
        board = note_selectors.notes_board_get(request.user, pk=board_id)
        body = {"time_zone": board.time_zone, "channels": best_times_for_board(board)}
        return Response(BoardBestTimesSerializer(body).data)
