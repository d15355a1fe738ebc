// Built-in wording for the system events, in every locale: a title and a short text, which
// every channel uses (the SMS has the text only). Saved as templates at start-up when
// missing, so an empty database notifies at once and an admin can reword any of them.
import { CHANNELS, LOCALES, hasSubject, type Channel, type Locale, type SystemEvent } from "./events.ts";

type Wording = Record<Locale, { title: string; text: string }>;

const WORDING: Record<SystemEvent, Wording> = {
  "ticket.called": {
    fr: { title: "C'est votre tour", text: "Ticket {{number:string}} : présentez-vous au {{counter:string}}." },
    en: { title: "It's your turn", text: "Ticket {{number:string}}: please go to {{counter:string}}." },
    wo: { title: "Sa waxtu jot na", text: "Tike {{number:string}}: dem ca {{counter:string}}." },
  },
  "ticket.recalled": {
    fr: { title: "Nouvel appel", text: "Ticket {{number:string}} : vous êtes appelé à nouveau au {{counter:string}}." },
    en: { title: "Called again", text: "Ticket {{number:string}}: you are called again to {{counter:string}}." },
    wo: { title: "Ñu ngi la woowaat", text: "Tike {{number:string}}: ñu ngi la woowaat ca {{counter:string}}." },
  },
  "ticket.served": {
    fr: { title: "Merci de votre visite", text: "Ticket {{number:string}} : comment s'est passé votre passage ? Donnez une note sur {{link:string}}" },
    en: { title: "Thank you for your visit", text: "Ticket {{number:string}}: how was your visit? Rate it at {{link:string}}" },
    wo: { title: "Jërëjëf ci sa ñëw", text: "Tike {{number:string}}: naka la sa ñëw demee? Joxal sa xalaat ci {{link:string}}" },
  },
  turn_near: {
    fr: { title: "Votre tour approche", text: "Ticket {{number:string}} : vous êtes {{position:number}}e dans la file, environ {{minutes:number}} min d'attente." },
    en: { title: "Your turn is near", text: "Ticket {{number:string}}: you are number {{position:number}} in the queue, about {{minutes:number}} min to wait." },
    wo: { title: "Sa waxtu mi ngi jegesi", text: "Tike {{number:string}}: yaa ngi ci {{position:number}} ci rang bi, lu mat {{minutes:number}} simili." },
  },
  "ticket.leave_now": {
    fr: { title: "Partez maintenant", text: "Ticket {{number:string}} : il est temps de partir pour {{branch:string}}, environ {{travel_minutes:number}} min de trajet et {{wait_minutes:number}} min avant votre appel." },
    en: { title: "Leave now", text: "Ticket {{number:string}}: time to leave for {{branch:string}}, about {{travel_minutes:number}} min away, called in about {{wait_minutes:number}} min." },
    wo: { title: "Dem leegi", text: "Tike {{number:string}}: jot na nga dem {{branch:string}}, lu mat {{travel_minutes:number}} simili ci yoon wi, {{wait_minutes:number}} simili ba ñu la woo." },
  },
  "ticket.tracker": {
    fr: { title: "Votre ticket", text: "Ticket {{number:string}} : suivez votre place dans la file sur {{link:string}}" },
    en: { title: "Your ticket", text: "Ticket {{number:string}}: follow your place in the queue at {{link:string}}" },
    wo: { title: "Sa tike", text: "Tike {{number:string}}: topptoo sa palaas ci rang bi ci {{link:string}}" },
  },
  "appointment.reminder": {
    fr: { title: "Rappel de rendez-vous", text: "Rappel : rendez-vous {{service:string}} à {{branch:string}} le {{date:string}} à {{time:string}} (dans {{minutes_before:number}} min)." },
    en: { title: "Appointment reminder", text: "Reminder: {{service:string}} appointment at {{branch:string}} on {{date:string}} at {{time:string}} (in {{minutes_before:number}} min)." },
    wo: { title: "Fàttali ndaje", text: "Fàttali: sa ndaje {{service:string}} ca {{branch:string}} ci {{date:string}} ci {{time:string}} (ci {{minutes_before:number}} simili)." },
  },
  "payment.received": {
    fr: { title: "Paiement reçu", text: "Nous avons bien reçu votre paiement de {{amount:number}} FCFA par {{method:string}}. Merci." },
    en: { title: "Payment received", text: "We have received your payment of {{amount:number}} FCFA by {{method:string}}. Thank you." },
    wo: { title: "Fey bi agsi na", text: "Jot nanu sa fey bu {{amount:number}} FCFA ci {{method:string}}. Jërëjëf." },
  },
};

export interface TemplateText {
  key: string;
  channel: Channel;
  locale: Locale;
  subject: string | null;
  body: string;
}

export function builtInTemplates(): TemplateText[] {
  return Object.entries(WORDING).flatMap(([key, byLocale]) =>
    LOCALES.flatMap((locale) =>
      CHANNELS.map((channel) => ({
        key,
        channel,
        locale,
        subject: hasSubject(channel) ? byLocale[locale].title : null,
        body: byLocale[locale].text,
      })),
    ),
  );
}
