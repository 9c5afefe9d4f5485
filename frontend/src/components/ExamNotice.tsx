import { Link } from "react-router";
import type { components } from "../api/schema";
import { dateTime } from "../format";

type MarketplaceExam = components["schemas"]["MarketplaceExam"];

/** A marketplace card's required exam: what it is and where the freelancer stands on it. */
export function ExamNotice({ exam }: { exam: MarketplaceExam }) {
  return (
    <p className={`exam-notice exam-notice-${exam.status}`} data-testid="exam-notice">
      Qualification exam required: <strong>{exam.title}</strong>{" "}
      {exam.status === "passed" ? (
        <span className="exam-notice-state">✓ Passed</span>
      ) : exam.status === "failed" && exam.retry_at && new Date(exam.retry_at) > new Date() ? (
        <span className="exam-notice-state">Not passed · Retry after {dateTime(exam.retry_at)}</span>
      ) : (
        <Link className="btn btn-small" to={`/exams/${exam.id}`}>
          {exam.status === "in_progress" ? "Continue the exam" : "Take the exam"}
        </Link>
      )}
    </p>
  );
}
