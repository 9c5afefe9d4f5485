from django.urls import path, re_path

from annotations.api import (
    accounts,
    datasets,
    payouts,
    platform,
    portfolio,
    projects,
    quality,
    review,
    tokens,
    uploads,
    webhooks,
    work,
)
from annotations.api.errors import api_not_found

app_name = "api"

urlpatterns = [
    path("auth/csrf", accounts.CsrfView.as_view(), name="auth-csrf"),
    path("auth/login", accounts.LoginView.as_view(), name="auth-login"),
    path("auth/logout", accounts.LogoutView.as_view(), name="auth-logout"),
    path("me", accounts.MeView.as_view(), name="me"),
    path("me/profile", accounts.ProfileView.as_view(), name="me-profile"),
    path("platform", platform.PlatformView.as_view(), name="platform"),
    path("me/consent", datasets.ConsentView.as_view(), name="me-consent"),
    path("me/portfolio", portfolio.MyPortfolioView.as_view(), name="me-portfolio"),
    path("me/portfolio/public", portfolio.PortfolioPublishView.as_view(), name="me-portfolio-public"),
    path("me/credits/<int:dataset_id>", portfolio.CreditView.as_view(), name="me-credit"),
    path("portfolios/<str:token>", portfolio.PublicPortfolioView.as_view(), name="public-portfolio"),
    path("webhooks", webhooks.EndpointListView.as_view(), name="webhook-list"),
    path("webhooks/<int:endpoint_id>", webhooks.EndpointDetailView.as_view(), name="webhook-detail"),
    path("webhooks/<int:endpoint_id>/test", webhooks.EndpointTestView.as_view(), name="webhook-test"),
    path("webhooks/<int:endpoint_id>/deliveries", webhooks.DeliveryListView.as_view(), name="webhook-deliveries"),
    path(
        "webhook-deliveries/<int:delivery_id>/redeliver",
        webhooks.RedeliverView.as_view(),
        name="webhook-redeliver",
    ),
    path("datasets", datasets.DatasetListView.as_view(), name="dataset-list"),
    path("datasets/<int:dataset_id>", datasets.DatasetDetailView.as_view(), name="dataset-detail"),
    path("datasets/<int:dataset_id>/versions", datasets.VersionListView.as_view(), name="dataset-versions"),
    path(
        "datasets/<int:dataset_id>/versions/<int:number>",
        datasets.VersionDetailView.as_view(),
        name="dataset-version",
    ),
    path(
        "datasets/<int:dataset_id>/versions/<int:number>/cancel",
        datasets.VersionCancelView.as_view(),
        name="dataset-version-cancel",
    ),
    path(
        "datasets/<int:dataset_id>/versions/<int:number>/card",
        datasets.VersionCardView.as_view(),
        name="dataset-version-card",
    ),
    path(
        "datasets/<int:dataset_id>/versions/<int:number>/files",
        datasets.VersionFilesView.as_view(),
        name="dataset-version-files",
    ),
    path(
        "datasets/<int:dataset_id>/versions/<int:number>/records",
        datasets.VersionRecordsView.as_view(),
        name="dataset-version-records",
    ),
    path(
        "datasets/<int:dataset_id>/versions/<int:number>/tombstones",
        datasets.VersionTombstonesView.as_view(),
        name="dataset-version-tombstones",
    ),
    path("projects", projects.ProjectListView.as_view(), name="project-list"),
    path("projects/<int:project_id>", projects.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<int:project_id>/transitions", projects.ProjectTransitionView.as_view(), name="project-transition"),
    path("projects/<int:project_id>/progress", projects.ProjectProgressView.as_view(), name="project-progress"),
    path("projects/<int:project_id>/agreement", projects.ProjectAgreementView.as_view(), name="project-agreement"),
    path("projects/<int:project_id>/gold", quality.ProjectGoldView.as_view(), name="project-gold"),
    path(
        "projects/<int:project_id>/gold/<int:item_id>", quality.ProjectGoldItemView.as_view(), name="project-gold-item"
    ),
    path("projects/<int:project_id>/activity", projects.ProjectActivityView.as_view(), name="project-activity"),
    path("projects/<int:project_id>/items", projects.ProjectItemListView.as_view(), name="project-items"),
    path("projects/<int:project_id>/uploads", uploads.ProjectUploadsView.as_view(), name="project-uploads"),
    path("projects/<int:project_id>/imports", uploads.ProjectImportsView.as_view(), name="project-imports"),
    path(
        "projects/<int:project_id>/uploads/complete",
        uploads.ProjectUploadsCompleteView.as_view(),
        name="project-uploads-complete",
    ),
    path("uploads/local", uploads.LocalUploadView.as_view(), name="upload-local"),
    path("media/local/<str:token>", uploads.LocalMediaView.as_view(), name="media-local"),
    path("marketplace", work.MarketplaceView.as_view(), name="marketplace"),
    path("projects/<int:project_id>/claim", work.ClaimView.as_view(), name="project-claim"),
    path("contributions", work.ContributionListView.as_view(), name="contribution-list"),
    path("contributions/<int:contribution_id>", work.ContributionDetailView.as_view(), name="contribution-detail"),
    path("contributions/<int:contribution_id>/work", work.ContributionWorkView.as_view(), name="contribution-work"),
    path(
        "contributions/<int:contribution_id>/activity",
        work.ContributionActivityView.as_view(),
        name="contribution-activity",
    ),
    path(
        "contributions/<int:contribution_id>/return", work.ContributionReturnView.as_view(), name="contribution-return"
    ),
    path("contributions/<int:contribution_id>/draft-uploads", work.DraftUploadView.as_view(), name="draft-uploads"),
    path("contributions/<int:contribution_id>/drafts", work.DraftListView.as_view(), name="draft-list"),
    path(
        "contributions/<int:contribution_id>/submit", work.ContributionSubmitView.as_view(), name="contribution-submit"
    ),
    path("review/queue", review.ReviewQueueView.as_view(), name="review-queue"),
    path("contributions/<int:contribution_id>/review", review.ReviewDecisionView.as_view(), name="contribution-review"),
    path("contributions/<int:contribution_id>/dispute", review.DisputeView.as_view(), name="contribution-dispute"),
    path("contributions/<int:contribution_id>/settle", review.SettleView.as_view(), name="contribution-settle"),
    path("contributions/<int:contribution_id>/bonus", review.BonusView.as_view(), name="contribution-bonus"),
    path("me/earnings", review.EarningsView.as_view(), name="earnings"),
    path("me/earnings/history", review.EarningsHistoryView.as_view(), name="earnings-history"),
    path("me/earnings/statement.csv", review.StatementView.as_view(), name="earnings-statement"),
    path("payouts", payouts.PayoutListView.as_view(), name="payout-list"),
    path("payouts/overview", payouts.PayoutOverviewView.as_view(), name="payout-overview"),
    path("payouts/webhook", payouts.PayoutWebhookView.as_view(), name="payout-webhook"),
    path("payouts/<int:payout_id>/retry", payouts.PayoutRetryView.as_view(), name="payout-retry"),
    path("tokens", tokens.TokenListView.as_view(), name="token-list"),
    path("tokens/<int:token_id>", tokens.TokenDetailView.as_view(), name="token-detail"),
    re_path(r"^.*$", api_not_found),
]
