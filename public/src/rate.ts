// /rate/#<token>: the link in the "served" message. The citizen gives 1 to 5 and maybe a
// comment, without an account: the signed token (after '#', never sent to a server but
// with the rating) names the ticket and stands for its citizen (services/analytics/rating-links.ts).
import { api, ApiError, inWords } from "./api.ts";
import { byId, showStatus } from "./dom.ts";
import { t, type Word } from "./i18n.ts";
import { fillWords } from "./words.ts";

const token = location.hash.slice(1);

/** The ticket the token names (its `sub`); the server checks the signature. */
function ticketOf(jwt: string): string | null {
  try {
    const claims = JSON.parse(atob(jwt.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { sub?: unknown };
    return typeof claims.sub === "string" ? claims.sub : null;
  } catch {
    return null;
  }
}

/** What a refusal means to the citizen. */
const REFUSED: Record<string, Word> = { conflict: "rateAlready", token_expired: "rateExpired", token_invalid: "rateInvalid" };

function done(word: Word, state: string): void {
  byId("rating").hidden = true;
  showStatus(t(word), state);
}

fillWords();
const ticketId = ticketOf(token);
let score = 0;
if (!ticketId) done("rateInvalid", "ended");
for (const button of document.querySelectorAll<HTMLButtonElement>("#scores button")) {
  button.addEventListener("click", () => {
    score = Number(button.dataset.score);
    for (const other of document.querySelectorAll<HTMLButtonElement>("#scores button")) other.setAttribute("aria-pressed", String(other === button));
    byId<HTMLButtonElement>("send").disabled = false;
  });
}
byId("rating").addEventListener("submit", (event) => {
  event.preventDefault();
  const comment = byId<HTMLTextAreaElement>("comment").value.trim();
  byId<HTMLButtonElement>("send").disabled = true;
  api("POST", "/api/analytics/ratings/link/", { ticket_id: ticketId, token, rating: score, ...(comment ? { comment } : {}) }).then(
    () => done("rateThanks", "rated"),
    (err) => {
      const refused = err instanceof ApiError ? REFUSED[err.code] : undefined;
      if (refused) return done(refused, "ended");
      byId("message").textContent = inWords(err);
      byId<HTMLButtonElement>("send").disabled = false;
    },
  );
});
