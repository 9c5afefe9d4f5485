/** Webhooks: endpoints that hear about submissions, reviews, payouts and dataset versions; their delivery log. */
import { useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { ApiError } from "../api/client";
import type { CreatedWebhookEndpoint, WebhookDelivery } from "../api/types";
import { useAuth } from "../auth";
import { DataTable, type Column } from "../components/DataTable";
import { Badge, Checkboxes, EmptyState, ErrorBanner, Field, FieldMessages, FormErrorBanner, Loading, PageHeader, Pager } from "../components/ui";
import { count, dateTime } from "../format";
import { i18n } from "../i18n";
import { useCreateWebhook, type WebhookEvent } from "../features/webhooks/api/create-webhook";
import { useDeleteWebhook } from "../features/webhooks/api/delete-webhook";
import { DELIVERIES_PAGE_SIZE, useWebhookDeliveries } from "../features/webhooks/api/get-webhook-deliveries";
import { useWebhooks } from "../features/webhooks/api/get-webhooks";
import { useRedeliverWebhook } from "../features/webhooks/api/redeliver-webhook";
import { useTestWebhook } from "../features/webhooks/api/test-webhook";

export const ORG_EVENTS: readonly WebhookEvent[] = ["contribution.submitted", "contribution.approved", "contribution.rejected", "dataset_version.built"];
export const PLATFORM_EVENTS: readonly WebhookEvent[] = ["payout.confirmed", "payout.failed"];

/** What a delivery's last try says, in words. */
export function lastTry(
  d: Pick<WebhookDelivery, "state" | "attempts" | "last_status" | "last_error" | "next_attempt_at">,
  t: TFunction<"org"> = i18n.getFixedT(null, "org"),
): string {
  const http = (status: number) => t("webhooks.log.http", { status: String(status) });
  if (d.state === "delivered") return d.last_status ? http(d.last_status) : t("webhooks.log.delivered");
  if (d.attempts === 0) return t("webhooks.log.queued");
  const why = d.last_error || (d.last_status ? http(d.last_status) : t("webhooks.log.noAnswer"));
  return d.state === "failed" ? t("webhooks.log.gaveUp", { count: d.attempts, why }) : t("webhooks.log.nextTry", { why, when: dateTime(d.next_attempt_at) });
}

export function WebhooksPage() {
  const { t } = useTranslation("org");
  const { user } = useAuth();
  const [page, setPage] = useState(1);
  const list = useWebhooks(page);
  const createWebhook = useCreateWebhook();
  const testWebhook = useTestWebhook();
  const deleteWebhook = useDeleteWebhook();
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [platform, setPlatform] = useState(false);
  const [events, setEvents] = useState<WebhookEvent[]>(["contribution.approved", "dataset_version.built"]);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<CreatedWebhookEndpoint | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const choices = platform ? PLATFORM_EVENTS : ORG_EVENTS;

  function add(event: FormEvent) {
    event.preventDefault();
    setError(null);
    createWebhook.mutate(
      { url, description, events: events.filter((e) => choices.includes(e)), platform },
      {
        onSuccess: (made) => {
          setCreated(made);
          setUrl("");
          setDescription("");
        },
        onError: setError,
      },
    );
  }

  function act(endpointId: number, mutation: typeof testWebhook) {
    setError(null);
    mutation.mutate(endpointId, { onError: setError });
  }

  return (
    <>
      <PageHeader title={t("webhooks.title")} subtitle={t("webhooks.subtitle")} />
      <form className="card form" onSubmit={add} aria-labelledby="add-hook-title">
        <h2 id="add-hook-title">{t("webhooks.add.title")}</h2>
        <div className="row">
          <Field label={t("webhooks.add.url")} className="grow" error={error} name="url">
            <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder={t("webhooks.add.urlPlaceholder")} />
          </Field>
          <Field label={t("webhooks.add.description")} className="grow">
            <input value={description} onChange={(e) => setDescription(e.target.value)} placeholder={t("webhooks.add.optional")} />
          </Field>
        </div>
        {user?.is_staff && (
          <label className="check">
            <input type="checkbox" checked={platform} onChange={(e) => { setPlatform(e.target.checked); setEvents(e.target.checked ? [...PLATFORM_EVENTS] : ["contribution.approved"]); }} />
            {t("webhooks.add.platform")}
          </label>
        )}
        <fieldset className="field">
          <legend>{t("webhooks.add.events")}</legend>
          <Checkboxes options={choices} value={events} onChange={setEvents} label={(e) => <code>{e}</code>} />
          <FieldMessages error={error} name="events" />
        </fieldset>
        <FormErrorBanner error={error} />
        <div className="form-actions">
          <button className="btn btn-primary">{t("webhooks.add.submit")}</button>
        </div>
        <p className="muted small">
          <Trans t={t} i18nKey="webhooks.add.help" components={{ code: <code /> }} />
        </p>
      </form>
      {created && (
        <div className="banner banner-ok" role="status">
          {t("webhooks.created")} <code className="secret" data-testid="webhook-secret">{created.secret}</code>
        </div>
      )}
      <ErrorBanner error={list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.results.length === 0 && (
        <EmptyState title={t("webhooks.empty.title")} icon="⇄">
          {t("webhooks.empty.body")}
        </EmptyState>
      )}
      {list.data?.results.map((e) => (
        <section className="card" key={e.id} aria-label={t("webhooks.endpoint.label", { url: e.url })}>
          <div className="row" style={{ justifyContent: "space-between" }}>
            <div>
              <h2 className="mono">{e.url}</h2>
              <p className="muted small">
                {e.description && `${e.description} · `}
                {e.platform ? `${t("webhooks.endpoint.platform")} · ` : ""}
                {e.events.join(", ")} · {t("webhooks.endpoint.counts", { delivered: e.delivered, pending: e.pending, failed: e.failed })}
              </p>
            </div>
            <div className="form-actions">
              <button className="btn" onClick={() => act(e.id, testWebhook)}>
                {t("webhooks.endpoint.test")}
              </button>
              <button className="btn" onClick={() => setOpen(open === e.id ? null : e.id)}>
                {open === e.id ? t("webhooks.endpoint.hideLog") : t("webhooks.endpoint.showLog")}
              </button>
              <button className="btn btn-danger-ghost" onClick={() => window.confirm(t("webhooks.endpoint.removeConfirm", { url: e.url })) && act(e.id, deleteWebhook)}>
                {t("webhooks.endpoint.remove")}
              </button>
            </div>
          </div>
          {open === e.id && <DeliveryLog endpointId={e.id} />}
        </section>
      ))}
      {list.data && <Pager page={page} count={list.data.count} pageSize={25} onPage={setPage} />}
    </>
  );
}

function DeliveryLog({ endpointId }: { endpointId: number }) {
  const { t } = useTranslation("org");
  const [page, setPage] = useState(1);
  const log = useWebhookDeliveries(endpointId, page);
  const redeliver = useRedeliverWebhook();
  const columns: Column<WebhookDelivery>[] = [
    { header: t("webhooks.log.event"), cell: (d) => <code>{d.event}</code> },
    { header: t("webhooks.log.state"), cell: (d) => <Badge value={d.state} /> },
    { header: t("webhooks.log.tries"), num: true, cell: (d) => count(d.attempts) },
    { header: t("webhooks.log.lastTry"), cell: (d) => lastTry(d, t), td: () => ({ className: "small" }) },
    { header: t("webhooks.log.created"), cell: (d) => dateTime(d.created_at) },
    {
      header: "",
      cell: (d) => (
        <button className="btn btn-ghost" onClick={() => redeliver.mutate(d.id)}>
          {t("webhooks.log.redeliver")}
        </button>
      ),
    },
  ];
  return (
    <div data-testid="delivery-log">
      <ErrorBanner error={redeliver.error ?? log.error} />
      <div className="row">
        <button className="btn btn-ghost" onClick={() => void log.refetch()}>
          {t("webhooks.log.refresh")}
        </button>
      </div>
      {log.data && <DataTable rows={log.data.results} rowKey={(d) => d.id} columns={columns} empty={<p className="muted">{t("webhooks.log.empty")}</p>} />}
      {log.data && <Pager page={page} count={log.data.count} pageSize={DELIVERIES_PAGE_SIZE} onPage={setPage} />}
    </div>
  );
}
