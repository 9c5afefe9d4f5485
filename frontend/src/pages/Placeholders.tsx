import { EmptyState, PageHeader } from "../components/ui";

export function EarningsPage() {
  return (
    <>
      <PageHeader title="Earnings" subtitle="Your balance, pending pay, payouts and statements." />
      <EmptyState title="No earnings yet" icon="◈">
        Approved contributions are paid here, with the fair-pay top-up and the reason for every entry. Start a task
        from <a href="/tasks">Tasks</a>.
      </EmptyState>
    </>
  );
}

export function ReviewPage() {
  return (
    <>
      <PageHeader title="Review" subtitle="Submissions waiting for a decision, with their whole process." />
      <EmptyState title="Nothing to review" icon="✓">
        Submissions appear here once freelancers submit work on your published projects.
      </EmptyState>
    </>
  );
}

export function PayoutsPage() {
  return (
    <>
      <PageHeader title="Payouts" subtitle="Funding, spend, and payouts by state." />
      <EmptyState title="No payouts yet" icon="◈">
        Payouts are gathered from approved work and sent through the payout provider; each appears here with its state.
      </EmptyState>
    </>
  );
}

export function DatasetsPage() {
  return (
    <>
      <PageHeader title="Datasets" subtitle="Versions of approved work, exported as training data with its process." />
      <EmptyState title="No datasets yet" icon="⬡">
        Build a dataset version from approved contributions; its shards, data card and export links will be listed here.
      </EmptyState>
    </>
  );
}
