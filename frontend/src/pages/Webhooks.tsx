/** Webhooks: endpoints that hear about submissions, reviews, payouts and dataset versions; their delivery log. */
import { useState, type FormEvent } from "react";
import type { ApiError } from "../api/client";
import type { CreatedWebhookEndpoint, WebhookDelivery } from "../api/types";
import { useAuth } from "../auth";
import { DataTable, type Column } from "../components/DataTable";
import { Badge, Checkboxes, EmptyState, ErrorBanner, Field, FieldMessages, FormErrorBanner, Loading, PageHeader, Pager } from "../components/ui";
import { dateTime } from "../format";
import { useCreateWebhook, type WebhookEvent } from "../features/webhooks/api/create-webhook";
import { useDeleteWebhook } from "../features/webhooks/api/delete-webhook";
import { DELIVERIES_PAGE_SIZE, useWebhookDeliveries } from "../features/webhooks/api/get-webhook-deliveries";
import { useWebhooks } from "../features/webhooks/api/get-webhooks";
import { useRedeliverWebhook } from "../features/webhooks/api/redeliver-webhook";
import { useTestWebhook } from "../features/webhooks/api/test-webhook";

export const ORG_EVENTS: readonly WebhookEvent[] = ["contribution.submitted", "contribution.approved", "contribution.rejected", "dataset_version.built"];
export const PLATFORM_EVENTS: readonly WebhookEvent[] = ["payout.confirmed", "payout.failed"];

/** What a delivery's last try says, in words. */
export function lastTry(d: Pick<WebhookDelivery, "state" | "attempts" | "last_status" | "last_error" | "next_attempt_at">): string {
  if (d.state === "delivered") return d.last_status ? `HTTP ${d.last_status}` : "delivered";
  if (d.attempts === 0) return "queued";
  const why = d.last_error || (d.last_status ? `HTTP ${d.last_status}` : "no answer");
  return d.state === "failed" ? `gave up after ${d.attempts} tries: ${why}` : `${why}; next try ${dateTime(d.next_attempt_at)}`;
}

export function WebhooksPage() {
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
      <PageHeader title="Webhooks" subtitle="Tell your systems when work is submitted, approved or rejected and when a dataset version is built. Every body is signed." />
      <form className="card form" onSubmit={add} aria-labelledby="add-hook-title">
        <h2 id="add-hook-title">Add an endpoint</h2>
        <div className="row">
          <Field label="URL" className="grow" error={error} name="url">
            <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://pipeline.example.com/atelier" />
          </Field>
          <Field label="Description" className="grow">
            <input value={description} onChange={(e) => setDescription(e.target.value)} placeholder="optional" />
          </Field>
        </div>
        {user?.is_staff && (
          <label className="check">
            <input type="checkbox" checked={platform} onChange={(e) => { setPlatform(e.target.checked); setEvents(e.target.checked ? [...PLATFORM_EVENTS] : ["contribution.approved"]); }} />
            Platform endpoint (payout events, for platform operators)
          </label>
        )}
        <fieldset className="field">
          <legend>Events</legend>
          <Checkboxes options={choices} value={events} onChange={setEvents} label={(e) => <code>{e}</code>} />
          <FieldMessages error={error} name="events" />
        </fieldset>
        <FormErrorBanner error={error} />
        <div className="form-actions">
          <button className="btn btn-primary">Add endpoint</button>
        </div>
        <p className="muted small">
          Check each request's <code>Atelier-Signature</code> (<code>t=…,v1=HMAC-SHA256(secret, "t.body")</code>) and drop repeats by <code>Atelier-Delivery</code>. A failed delivery
          is tried again 3 times, from a minute, doubling. Private, loopback and metadata addresses are refused.
        </p>
      </form>
      {created && (
        <div className="banner banner-ok" role="status">
          Endpoint added. Its signing secret, shown this once: <code className="secret" data-testid="webhook-secret">{created.secret}</code>
        </div>
      )}
      <ErrorBanner error={list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.results.length === 0 && <EmptyState title="No webhooks yet" icon="⇄">Add an endpoint above to hear about events as they happen.</EmptyState>}
      {list.data?.results.map((e) => (
        <section className="card" key={e.id} aria-label={`Webhook ${e.url}`}>
          <div className="row" style={{ justifyContent: "space-between" }}>
            <div>
              <h2 className="mono">{e.url}</h2>
              <p className="muted small">
                {e.description && `${e.description} · `}
                {e.platform ? "platform · " : ""}
                {e.events.join(", ")} · {e.delivered} delivered · {e.pending} pending · {e.failed} failed
              </p>
            </div>
            <div className="form-actions">
              <button className="btn" onClick={() => act(e.id, testWebhook)}>
                Send test
              </button>
              <button className="btn" onClick={() => setOpen(open === e.id ? null : e.id)}>
                {open === e.id ? "Hide log" : "Delivery log"}
              </button>
              <button className="btn btn-danger-ghost" onClick={() => window.confirm(`Remove ${e.url} and its log?`) && act(e.id, deleteWebhook)}>
                Remove
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
  const [page, setPage] = useState(1);
  const log = useWebhookDeliveries(endpointId, page);
  const redeliver = useRedeliverWebhook();
  const columns: Column<WebhookDelivery>[] = [
    { header: "Event", cell: (d) => <code>{d.event}</code> },
    { header: "State", cell: (d) => <Badge value={d.state} /> },
    { header: "Tries", num: true, cell: (d) => d.attempts },
    { header: "Last try", cell: lastTry, td: () => ({ className: "small" }) },
    { header: "Created", cell: (d) => dateTime(d.created_at) },
    {
      header: "",
      cell: (d) => (
        <button className="btn btn-ghost" onClick={() => redeliver.mutate(d.id)}>
          Redeliver
        </button>
      ),
    },
  ];
  return (
    <div data-testid="delivery-log">
      <ErrorBanner error={redeliver.error ?? log.error} />
      <div className="row">
        <button className="btn btn-ghost" onClick={() => void log.refetch()}>
          Refresh
        </button>
      </div>
      {log.data && <DataTable rows={log.data.results} rowKey={(d) => d.id} columns={columns} empty={<p className="muted">Nothing sent yet.</p>} />}
      {log.data && <Pager page={page} count={log.data.count} pageSize={DELIVERIES_PAGE_SIZE} onPage={setPage} />}
    </div>
  );
}
