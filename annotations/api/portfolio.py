"""A freelancer's portfolio, its public link, and credit in data cards; the public portfolio page's data."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.permissions import API_PERMISSIONS, FreelancerRole, actor
from annotations.api.projects import MEDIA_LINK_SECONDS
from annotations.api.serializers import StrictInputSerializer
from annotations.models import CredentialState, FreelancerProfile
from annotations.providers.storage import object_storage
from annotations.selectors.portfolio import portfolio_of, public_image_draft, public_portfolio
from annotations.services.portfolio import credit_set, portfolio_publish, public_image_key


class DraftCredentialSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(
        choices=["pending", *CredentialState.values],
        help_text="embedded: a copy with a C2PA manifest exists; unsupported: the format cannot carry one.",
    )
    download_url = serializers.SerializerMethodField(
        help_text="The credentialed copy, a short-lived link (the owner's portfolio only)."
    )

    def get_download_url(self, cred: dict[str, Any]) -> str | None:
        if not cred["storage_key"]:
            return None
        return object_storage().presigned_get(
            key=cred["storage_key"],
            expires_in=MEDIA_LINK_SECONDS,
            filename=cred["name"],
            content_type=cred["content_type"],
        )


class PortfolioDraftSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    sequence = serializers.IntegerField()
    kind = serializers.CharField()
    change_note = serializers.CharField()
    what_failed = serializers.CharField()
    source_type = serializers.CharField()
    excerpt = serializers.CharField(help_text="The start of a text draft, or a file draft's name.")
    created_at = serializers.DateTimeField()
    credentials = DraftCredentialSerializer(allow_null=True, help_text="Content Credentials (C2PA); null for text.")
    image_url = serializers.SerializerMethodField(
        help_text="An image draft to show: the file itself (short-lived link) in your portfolio; on the public page "
        "a re-encoded copy without metadata. Null for other drafts."
    )

    def get_image_url(self, d: dict[str, Any]) -> str | None:
        if d["image_key"]:
            return object_storage().presigned_get(
                key=d["image_key"], expires_in=MEDIA_LINK_SECONDS, filename=d["name"], content_type=d["content_type"]
            )
        token = self.context.get("public_token")
        if d["image_public"] and token:
            return reverse("api:public-portfolio-image", kwargs={"token": token, "draft_id": d["id"]})
        return None


class InDatasetSerializer(serializers.Serializer[Any]):
    dataset_id = serializers.IntegerField()
    name = serializers.CharField()
    version = serializers.IntegerField()


class PortfolioWorkSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    project_title = serializers.CharField()
    item = serializers.CharField()
    intent = serializers.CharField()
    approved_at = serializers.DateTimeField(allow_null=True)
    drafts = PortfolioDraftSerializer(many=True)
    in_datasets = InDatasetSerializer(many=True)


class CreditSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_name = serializers.CharField(allow_null=True, help_text="Null: pseudonymous in this dataset's cards.")


class PortfolioSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    contributions = PortfolioWorkSerializer(many=True)
    datasets = CreditSerializer(many=True)


class MyPortfolioSerializer(PortfolioSerializer):
    public_token = serializers.CharField(allow_null=True, help_text="Set: public at /p/<token>.")


class PublishInputSerializer(StrictInputSerializer):
    public = serializers.BooleanField()


class CreditInputSerializer(StrictInputSerializer):
    name = serializers.CharField(allow_null=True, max_length=200, help_text="Null: stay pseudonymous.")


def _mine(request: Request) -> dict[str, Any]:
    me = actor(request)
    data = portfolio_of(me)
    profile = FreelancerProfile.objects.filter(user=me).first()
    return {**data, "public_token": (profile.portfolio_token or None) if profile else None}


class MyPortfolioView(APIView):
    permission_classes = API_PERMISSIONS

    @extend_schema(
        summary="Your accepted work, its drafts and the datasets that hold it", responses=MyPortfolioSerializer
    )
    def get(self, request: Request) -> Response:
        if actor(request).role != "freelancer":
            return Response(
                {"name": actor(request).shown_name, "contributions": [], "datasets": [], "public_token": None}
            )
        return Response(MyPortfolioSerializer(_mine(request)).data)


class PortfolioPublishView(APIView):
    permission_classes = [*API_PERMISSIONS, FreelancerRole]

    @extend_schema(
        summary="Make your portfolio public under a new link, or private",
        request=PublishInputSerializer,
        responses=MyPortfolioSerializer,
    )
    def post(self, request: Request) -> Response:
        body = PublishInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        portfolio_publish(actor=actor(request), public=body.validated_data["public"])
        return Response(MyPortfolioSerializer(_mine(request)).data)


class CreditView(APIView):
    permission_classes = [*API_PERMISSIONS, FreelancerRole]

    @extend_schema(
        summary="Be credited by name in the data cards of a dataset's later versions (null: pseudonymous)",
        request=CreditInputSerializer,
        responses=MyPortfolioSerializer,
    )
    def put(self, request: Request, dataset_id: int) -> Response:
        body = CreditInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        credit_set(actor=actor(request), dataset_id=dataset_id, name=body.validated_data["name"])
        return Response(MyPortfolioSerializer(_mine(request)).data)


class PublicPortfolioView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(summary="A portfolio its owner made public", responses=PortfolioSerializer, auth=[])
    def get(self, request: Request, token: str) -> Response:
        data = PortfolioSerializer(public_portfolio(token), context={"public_token": token}).data
        return Response(data, status=status.HTTP_200_OK)


class PublicPortfolioImageView(APIView):
    """An image draft of a public portfolio, as a re-encoded copy without metadata (made once, then reused)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        summary="An image draft of a public portfolio: redirects to a short-lived link to a copy without metadata",
        responses={302: OpenApiResponse(description="`Location`: the image (WebP).")},
        auth=[],
    )
    def get(self, request: Request, token: str, draft_id: int) -> HttpResponseBase:
        key = public_image_key(public_image_draft(token, draft_id))
        response = HttpResponseRedirect(
            object_storage().presigned_get(key=key, expires_in=MEDIA_LINK_SECONDS, content_type="image/webp")
        )
        response["Cache-Control"] = "private, max-age=60"  # well inside the link's lifetime
        return response
