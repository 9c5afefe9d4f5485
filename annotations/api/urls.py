from django.urls import path, re_path, register_converter

from annotations.api import (
    accounts,
    audit,
    datasets,
    payouts,
    platform,
    portfolio,
    projects,
    quality,
    review,
    tokens,
    totp_qr,
    uploads,
    webhooks,
    work,
)
from annotations.api.converters import IdConverter
from annotations.api.errors import api_not_found

register_converter(IdConverter, "id")  # every id in a path: 64-bit signed, else 404 (see converters.py)

app_name = "api"

urlpatterns = [
    path("auth/csrf", accounts.CsrfView.as_view(), name="auth-csrf"),
    path("auth/session", accounts.SessionView.as_view(), name="auth-session"),
    path("me", accounts.MeView.as_view(), name="me"),
    path("me/profile", accounts.ProfileView.as_view(), name="me-profile"),
    path("me/totp-qr", totp_qr.TotpQrView.as_view(), name="me-totp-qr"),
    path("platform", platform.PlatformView.as_view(), name="platform"),
    path("me/consent", datasets.ConsentView.as_view(), name="me-consent"),
    path("me/portfolio", portfolio.MyPortfolioView.as_view(), name="me-portfolio"),
    path("me/portfolio/public", portfolio.PortfolioPublishView.as_view(), name="me-portfolio-public"),
    path("me/credits/<id:dataset_id>", portfolio.CreditView.as_view(), name="me-credit"),
    path("portfolios/<str:token>", portfolio.PublicPortfolioView.as_view(), name="public-portfolio"),
    path(
        "portfolios/<str:token>/drafts/<id:draft_id>/image",
        portfolio.PublicPortfolioImageView.as_view(),
        name="public-portfolio-image",
    ),
    path("audit", audit.AuditLogView.as_view(), name="audit-log"),
    path("webhooks", webhooks.EndpointListView.as_view(), name="webhook-list"),
    path("webhooks/<id:endpoint_id>", webhooks.EndpointDetailView.as_view(), name="webhook-detail"),
    path("webhooks/<id:endpoint_id>/test", webhooks.EndpointTestView.as_view(), name="webhook-test"),
    path("webhooks/<id:endpoint_id>/deliveries", webhooks.DeliveryListView.as_view(), name="webhook-deliveries"),
    path(
        "webhook-deliveries/<id:delivery_id>/redeliver",
        webhooks.RedeliverView.as_view(),
        name="webhook-redeliver",
    ),
    path("datasets", datasets.DatasetListView.as_view(), name="dataset-list"),
    path("datasets/<id:dataset_id>", datasets.DatasetDetailView.as_view(), name="dataset-detail"),
    path("datasets/<id:dataset_id>/versions", datasets.VersionListView.as_view(), name="dataset-versions"),
    path(
        "datasets/<id:dataset_id>/versions/<id:number>",
        datasets.VersionDetailView.as_view(),
        name="dataset-version",
    ),
    path(
        "datasets/<id:dataset_id>/versions/<id:number>/cancel",
        datasets.VersionCancelView.as_view(),
        name="dataset-version-cancel",
    ),
    path(
        "datasets/<id:dataset_id>/versions/<id:number>/card",
        datasets.VersionCardView.as_view(),
        name="dataset-version-card",
    ),
    path(
        "datasets/<id:dataset_id>/versions/<id:number>/files",
        datasets.VersionFilesView.as_view(),
        name="dataset-version-files",
    ),
    path(
        "datasets/<id:dataset_id>/versions/<id:number>/records",
        datasets.VersionRecordsView.as_view(),
        name="dataset-version-records",
    ),
    path(
        "datasets/<id:dataset_id>/versions/<id:number>/tombstones",
        datasets.VersionTombstonesView.as_view(),
        name="dataset-version-tombstones",
    ),
    path("projects", projects.ProjectListView.as_view(), name="project-list"),
    path("projects/<id:project_id>", projects.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<id:project_id>/transitions", projects.ProjectTransitionView.as_view(), name="project-transition"),
    path("projects/<id:project_id>/progress", projects.ProjectProgressView.as_view(), name="project-progress"),
    path("projects/<id:project_id>/agreement", projects.ProjectAgreementView.as_view(), name="project-agreement"),
    path("projects/<id:project_id>/gold", quality.ProjectGoldView.as_view(), name="project-gold"),
    path("projects/<id:project_id>/gold/<id:item_id>", quality.ProjectGoldItemView.as_view(), name="project-gold-item"),
    path("projects/<id:project_id>/activity", projects.ProjectActivityView.as_view(), name="project-activity"),
    path("projects/<id:project_id>/items", projects.ProjectItemListView.as_view(), name="project-items"),
    path("projects/<id:project_id>/uploads", uploads.ProjectUploadsView.as_view(), name="project-uploads"),
    path("projects/<id:project_id>/imports", uploads.ProjectImportsView.as_view(), name="project-imports"),
    path(
        "projects/<id:project_id>/uploads/complete",
        uploads.ProjectUploadsCompleteView.as_view(),
        name="project-uploads-complete",
    ),
    path("uploads/local", uploads.LocalUploadView.as_view(), name="upload-local"),
    path("media/local/<str:token>", uploads.LocalMediaView.as_view(), name="media-local"),
    path("marketplace", work.MarketplaceView.as_view(), name="marketplace"),
    path("projects/<id:project_id>/claim", work.ClaimView.as_view(), name="project-claim"),
    path("contributions", work.ContributionListView.as_view(), name="contribution-list"),
    path("contributions/<id:contribution_id>", work.ContributionDetailView.as_view(), name="contribution-detail"),
    path("contributions/<id:contribution_id>/work", work.ContributionWorkView.as_view(), name="contribution-work"),
    path(
        "contributions/<id:contribution_id>/activity",
        work.ContributionActivityView.as_view(),
        name="contribution-activity",
    ),
    path(
        "contributions/<id:contribution_id>/return", work.ContributionReturnView.as_view(), name="contribution-return"
    ),
    path("contributions/<id:contribution_id>/draft-uploads", work.DraftUploadView.as_view(), name="draft-uploads"),
    path("contributions/<id:contribution_id>/drafts", work.DraftListView.as_view(), name="draft-list"),
    path(
        "contributions/<id:contribution_id>/submit", work.ContributionSubmitView.as_view(), name="contribution-submit"
    ),
    path("review/queue", review.ReviewQueueView.as_view(), name="review-queue"),
    path("contributions/<id:contribution_id>/review", review.ReviewDecisionView.as_view(), name="contribution-review"),
    path("contributions/<id:contribution_id>/dispute", review.DisputeView.as_view(), name="contribution-dispute"),
    path("contributions/<id:contribution_id>/settle", review.SettleView.as_view(), name="contribution-settle"),
    path("contributions/<id:contribution_id>/bonus", review.BonusView.as_view(), name="contribution-bonus"),
    path("me/earnings", review.EarningsView.as_view(), name="earnings"),
    path("me/earnings/history", review.EarningsHistoryView.as_view(), name="earnings-history"),
    path("me/earnings/statement.csv", review.StatementView.as_view(), name="earnings-statement"),
    path("payouts", payouts.PayoutListView.as_view(), name="payout-list"),
    path("payouts/overview", payouts.PayoutOverviewView.as_view(), name="payout-overview"),
    path("payouts/webhook", payouts.PayoutWebhookView.as_view(), name="payout-webhook"),
    path("payouts/gather", payouts.PayoutGatherView.as_view(), name="payout-gather"),
    path("payouts/<id:payout_id>/retry", payouts.PayoutRetryView.as_view(), name="payout-retry"),
    path("tokens", tokens.TokenListView.as_view(), name="token-list"),
    path("tokens/<id:token_id>", tokens.TokenDetailView.as_view(), name="token-detail"),
    re_path(r"^.*$", api_not_found),
]
