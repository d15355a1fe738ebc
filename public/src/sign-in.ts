// Signing a staff page in (the agent console, the kiosk, which runs on a staff account):
// the form, built into #sign-in, and what follows a sign-in.
import { all, savedSession, signIn } from "./api.ts";
import { byId, el } from "./dom.ts";
import { t } from "./i18n.ts";

export function signInForm(onSignedIn: () => Promise<void>, onFailure: (err: unknown) => void): HTMLFormElement {
  const phone = el("input", { id: "phone", name: "phone", type: "tel", autocomplete: "username", required: "" });
  const password = el("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: "" });
  const form = el(
    "form",
    { id: "login" },
    el("h1", {}, t("login")),
    el("label", {}, t("phone"), el("br"), phone),
    el("label", {}, t("password"), el("br"), password),
    el("button", { type: "submit" }, t("signIn")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onFailure(null);
    signIn(phone.value, password.value).then(onSignedIn).catch(onFailure);
  });
  byId("sign-in").replaceChildren(form);
  return form;
}

export interface Named {
  id: string;
  name: string;
}

/** The branches of the signed-in staff member's organisation (every one, for a platform admin). */
export function myBranches(): Promise<Named[]> {
  const organization = savedSession()?.user.organization_id;
  return all<Named>(`/api/business/branches/${organization ? `?organization_id=${organization}` : ""}`);
}

export function fillOptions(target: HTMLSelectElement, items: Named[]): void {
  target.replaceChildren(...items.map((item) => el("option", { value: item.id }, item.name)));
}
