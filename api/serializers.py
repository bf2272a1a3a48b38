"""What the API shows of each record: plain fields, ids for links, choices by their code.
Never a recording's access code, a person's e-mail, a meeting link or a stored file's path."""

from rest_framework import serializers

from capacity_plan.models import ActionSession, Region, SatisfactionResponse, TrainingAction
from cooperations.models import Cooperation, Institution, Participation, Question, Session, Step


class InstitutionSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.iso_code", default=None, read_only=True)

    class Meta:
        model = Institution
        fields = ["id", "name", "acronym", "country"]


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = [
            "id",
            "cooperation",
            "order",
            "kind",
            "title",
            "status",
            "time_zone",
            "date",
            "starts_at",
            "ends_at",
            "date_label",
            "platform",
            "planned_contents",
            "summary",
            "recording_url",
            "recording_available_until",
        ]


class StepSerializer(serializers.ModelSerializer):
    responsible = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = ["id", "after_session", "order", "text", "responsible", "due_date", "done"]

    def get_responsible(self, step: Step) -> list[str]:
        return step.responsible_names


class ParticipantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.full_name", read_only=True)
    institution = serializers.CharField(source="institution.short_name", read_only=True)
    delegation = serializers.CharField(source="delegation.iso_code", default=None, read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "name", "position", "institution", "delegation", "note"]


class QuestionSerializer(serializers.ModelSerializer):
    objective = serializers.IntegerField(source="objective.order", read_only=True)
    asked_by = serializers.CharField(source="asked_by.short_name", read_only=True)
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = [
            "id",
            "objective",
            "number",
            "text",
            "sub_items",
            "asked_by",
            "sent_on",
            "status",
            "answered_in_session",
            "written_answer",
            "answered_at",
            "has_attachment",
        ]

    def get_has_attachment(self, question: Question) -> bool:
        return bool(question.answer_attachment)


class CooperationSerializer(serializers.ModelSerializer):
    call = serializers.IntegerField(source="call.number", read_only=True)
    year = serializers.IntegerField(source="call.year", read_only=True)
    requesting_institution = InstitutionSerializer(read_only=True)
    providing_institution = InstitutionSerializer(read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    participants = ParticipantSerializer(source="participations", many=True, read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Cooperation
        fields = [
            "id",
            "short_name",
            "title",
            "topic",
            "call",
            "year",
            "status",
            "modality",
            "requesting_institution",
            "providing_institution",
            "website",
            "general_objective",
            "version_label",
            "version_date",
            "updated_at",
            "sessions",
            "steps",
            "participants",
            "questions",
        ]


class ActionSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionSession
        fields = ["id", "date", "duration_hours", "topic"]


class TrainingActionSerializer(serializers.ModelSerializer):
    organisational_unit = serializers.CharField(source="organisational_unit.acronym", read_only=True)
    theme = serializers.CharField(source="theme.name", default=None, read_only=True)
    milestone = serializers.IntegerField(source="milestone.number", default=None, read_only=True)
    target_regions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sessions = ActionSessionSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingAction
        fields = [
            "id",
            "kind",
            "title",
            "theme",
            "organisational_unit",
            "milestone",
            "programmed",
            "status",
            "modality",
            "hours",
            "planned_start",
            "planned_end",
            "original_start",
            "original_end",
            "executed_start",
            "executed_end",
            "target_regions",
            "facilitator",
            "is_demo",
            "sessions",
        ]


class AttendanceAggregateSerializer(serializers.ModelSerializer):
    """One training-action session and its attendance counted by status."""

    session = serializers.IntegerField(source="pk", read_only=True)
    action_title = serializers.CharField(source="action.title", read_only=True)
    records = serializers.IntegerField(read_only=True)
    present = serializers.IntegerField(read_only=True)
    absent = serializers.IntegerField(read_only=True)
    justified = serializers.IntegerField(read_only=True)
    attendance_rate = serializers.SerializerMethodField(help_text="present / records × 100, two decimals")

    class Meta:
        model = ActionSession
        fields = [
            "session",
            "action",
            "action_title",
            "date",
            "records",
            "present",
            "absent",
            "justified",
            "attendance_rate",
        ]

    def get_attendance_rate(self, session: ActionSession) -> float | None:
        records = session.records  # type: ignore[attr-defined]
        return round(session.present * 100 / records, 2) if records else None  # type: ignore[attr-defined]


class SurveyAggregateSerializer(serializers.ModelSerializer):
    """One training action's satisfaction answers: how many and each aspect's average (1–5)."""

    action = serializers.IntegerField(source="pk", read_only=True)
    responses = serializers.IntegerField(read_only=True)
    averages = serializers.SerializerMethodField()
    satisfaction = serializers.SerializerMethodField(help_text="mean of the aspects' averages")

    class Meta:
        model = TrainingAction
        fields = ["action", "title", "planned_start", "responses", "averages", "satisfaction"]

    def _averages(self, action: TrainingAction) -> dict[str, float | None]:
        values = {name: getattr(action, f"average_{name}") for name in SatisfactionResponse.DIMENSIONS}
        return {name: None if value is None else round(float(value), 2) for name, value in values.items()}

    def get_averages(self, action: TrainingAction) -> dict[str, float | None]:
        return self._averages(action)

    def get_satisfaction(self, action: TrainingAction) -> float | None:
        values = [value for value in self._averages(action).values() if value is not None]
        return round(sum(values) / len(values), 2) if values else None


class IndicatorPeriodSerializer(serializers.Serializer):
    """An indicator in one period: value, target and status (on_track, at_risk, off_track,
    no_data, no_target), as the plan page shows them."""

    id = serializers.IntegerField()
    period = serializers.CharField(help_text="year-bimester, e.g. 2025-5")
    component = serializers.IntegerField()
    milestone = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.CharField()
    source = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    value = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    value_text = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    status_margin = serializers.CharField()


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "directorate"]


class _Percent(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, allow_null=True, **kwargs)


class RankingWeightsSerializer(serializers.Serializer):
    goals = _Percent(help_text="weight of dimension 1 (%)")
    additional = _Percent(help_text="weight of dimension 2 (%)")
    financial = _Percent(help_text="weight of dimension 3 (%)")


class RankingThresholdsSerializer(serializers.Serializer):
    high = _Percent(help_text="lowest score of the high level")
    medium = _Percent(help_text="lowest score of the medium level")


class RankingMethodSerializer(serializers.Serializer):
    weights = RankingWeightsSerializer()
    thresholds = RankingThresholdsSerializer()
    missing = serializers.ChoiceField(choices=["zero", "reweight"], help_text="how a missing value counts")


class RankingRowSerializer(serializers.Serializer):
    region = serializers.IntegerField(help_text="region id (/api/v1/regions/)")
    region_name = serializers.CharField()
    goals = _Percent(help_text="dimension 1: goals met (%)")
    additional = _Percent(help_text="dimension 2: additional effort (%)")
    financial = _Percent(help_text="dimension 3: SUNAFIL transfers executed (%)")
    score = _Percent(help_text="weighted score; null without any value")
    level = serializers.ChoiceField(choices=["high", "medium", "low"], allow_null=True)
    position = serializers.IntegerField(allow_null=True, help_text="1 = best; ties share a position")


class RankingVersionSerializer(serializers.Serializer):
    """A published version of a semester's ranking, exactly as stored (immutable): the method it
    was computed with and each region's values, score, level and position."""

    id = serializers.IntegerField()
    year = serializers.IntegerField(source="ranking.year")
    semester = serializers.IntegerField(source="ranking.semester", help_text="1 or 2")
    semester_code = serializers.SerializerMethodField(help_text="year-semester, e.g. 2025-1")
    version = serializers.IntegerField(source="number")
    published_at = serializers.DateTimeField(source="created_at")
    sha256 = serializers.CharField(help_text="SHA-256 of the version's PDF")
    method = RankingMethodSerializer(source="snapshot.method")
    rows = RankingRowSerializer(source="snapshot.rows", many=True)

    def get_semester_code(self, version) -> str:
        return f"{version.ranking.year}-{version.ranking.semester}"
