import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { components } from "../api/schema";
import { dateTime } from "../format";

type MarketplaceExam = components["schemas"]["MarketplaceExam"];

/** A marketplace card's required exam: what it is and where the freelancer stands on it. */
export function ExamNotice({ exam }: { exam: MarketplaceExam }) {
  const { t } = useTranslation("freelancer");
  return (
    <p className={`exam-notice exam-notice-${exam.status}`} data-testid="exam-notice">
      {t("examNotice.required")} <strong>{exam.title}</strong>{" "}
      {exam.status === "passed" ? (
        <span className="exam-notice-state">{t("examNotice.passed")}</span>
      ) : exam.status === "failed" && exam.retry_at && new Date(exam.retry_at) > new Date() ? (
        <span className="exam-notice-state">{t("examNotice.retryAfter", { when: dateTime(exam.retry_at) })}</span>
      ) : (
        <Link className="btn btn-small" to={`/exams/${exam.id}`}>
          {exam.status === "in_progress" ? t("examNotice.continue") : t("examNotice.take")}
        </Link>
      )}
    </p>
  );
}
