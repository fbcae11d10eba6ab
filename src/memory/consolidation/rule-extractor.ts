import type { FactCategory } from '../facts.ts';
import type { SessionEvent } from '../session-memory.ts';
import { type CandidateFact, type FactExtraction, type FactExtractor, userTurns } from './candidate.ts';
import { toSecondPerson } from './second-person.ts';

/** A fact found in one turn, before it is tied to the event it came from. */
export interface StatedFact {
  readonly category: FactCategory;
  readonly text: string;
}

/**
 * The offline planner's fact rules: only explicit, first-person, durable statements ("remember that
 * I cover the EUR repo desk on Fridays", "I prefer answers in bullet points", "always show me the SLA
 * deadline in New York time", "note that DEUTDEFF usually sends confirmations late"). Questions,
 * chit-chat, one-off requests and anything tied to today are ignored. Each fact is rewritten as a
 * standalone sentence in the second person, addressed to the person ("You cover the EUR repo desk on
 * Fridays."); in a standing instruction "me" is the assistant ("You asked me to always show you …").
 * Counterparty notes are about the counterparty ("DEUTDEFF usually sends confirmations late.").
 * Whether a fact may be kept at all is the screen's decision (`screenFact`), not this one's.
 */
export class RuleFactExtractor implements FactExtractor {
  extract(input: {
    readonly principalId: string;
    readonly events: readonly SessionEvent[];
  }): Promise<FactExtraction> {
    const facts: CandidateFact[] = userTurns(input.events).flatMap((event) =>
      statedFacts(event.text).map((fact) => ({ ...fact, sourceEventId: event.eventId })),
    );
    return Promise.resolve({ facts });
  }
}

/** The durable facts stated in one user turn, in the order they were said. */
export function statedFacts(turn: string): StatedFact[] {
  return sentences(turn).flatMap((sentence) => {
    const fact = factOf(sentence);
    return fact === undefined ? [] : [fact];
  });
}

function sentences(turn: string): string[] {
  return turn
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .split(/(?<=[.!?])\s+|\n+|;\s*/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length > 0);
}

// Greetings, mentions and connectives in front of the statement itself.
const MENTION = /^(?:<@[A-Z0-9]+>|@[\w.-]+)[\s,:;-]*/i;
const FILLER =
  /^(?:hi|hello|hey|ok|okay|so|also|and|oh|btw|by the way|one more thing|one more|kindly|pls|please)\b[\s,:;!-]*/i;

/** Markers that make a statement explicitly lasting ("remember that …", "for future reference, …"). */
const EXPLICIT_MARKERS: readonly RegExp[] = [
  /^(?:(?:can|could|would|will) you\s+)?(?:please\s+)?(?:remember|memori[sz]e)(?:\s+that\b|\s*[:,-])?\s*/i,
  /^(?:(?:can|could|would|will) you\s+)?(?:please\s+)?(?:note|take note|make a note|note down)(?:\s+that\b|\s*[:,-])?\s*/i,
  /^(?:for future reference|for the record|keep in mind|bear in mind|just so you know|fyi|for your information)(?:\s+that\b)?[\s,:;-]*/i,
];

/** Markers that make what follows a standing rule ("from now on, show me amounts in EUR"). */
const STANDING_MARKER =
  /^(?:from now on|going forward|in future|in the future|henceforth|by default)\b[\s,:;-]*/i;
const STANDING_TAIL = /[\s,;-]+(?:from now on|going forward|in future|in the future|by default)$/i;
const POLITE_TAIL =
  /[\s,;-]+(?:please|thanks|thank you|cheers|ty|remember that|for future reference|please remember that)$/i;

/** Anything tied to a moment is not a lasting fact ("I'm covering FX today"). */
const TRANSIENT =
  /\b(?:today|tonight|tomorrow|yesterday|right now|just now|for now|at the moment|this (?:morning|afternoon|evening|week|weekend|month|time)|next (?:week|month)|later|soon|for a bit|for a while)\b/i;

const QUESTION_START =
  /^(?:what|what's|whats|how|which|who|whose|when|where|why|can|could|would|will|is|are|am|do|does|did|should|shall|may|have|has)\b/i;

interface Framed {
  readonly body: string;
  readonly explicit: boolean;
  readonly standing: boolean;
}

function frame(sentence: string): Framed | undefined {
  let body = sentence;
  let explicit = false;
  let standing = false;
  let changed = true;
  while (changed) {
    changed = false;
    const before = body;
    body = body.replace(MENTION, '').replace(FILLER, '');
    for (const marker of EXPLICIT_MARKERS) {
      if (marker.test(body)) {
        body = body.replace(marker, '');
        explicit = true;
      }
    }
    if (STANDING_MARKER.test(body)) {
      body = body.replace(STANDING_MARKER, '');
      standing = true;
    }
    changed = body !== before;
  }
  const asked = body.endsWith('?');
  body = body.replace(/[.!?\s]+$/, '');
  for (let tail = true; tail; ) {
    tail = false;
    if (POLITE_TAIL.test(body)) {
      body = body.replace(POLITE_TAIL, '');
      tail = true;
    }
    if (STANDING_TAIL.test(body)) {
      body = body.replace(STANDING_TAIL, '');
      standing = true;
      tail = true;
    }
    body = body.replace(/[\s,.!]+$/, '');
  }
  // A question is never a fact, unless it is a polite "could you remember that …?".
  if ((asked && !explicit) || (!explicit && QUESTION_START.test(body))) return undefined;
  if (body.length === 0 || TRANSIENT.test(body)) return undefined;
  return { body, explicit, standing };
}

function factOf(sentence: string): StatedFact | undefined {
  const framed = frame(sentence);
  if (framed === undefined) return undefined;
  for (const rule of RULES) {
    const fact = rule(framed);
    if (fact !== undefined) return { category: fact.category, text: finish(fact.text) };
  }
  return undefined;
}

function finish(text: string): string {
  const t = text
    .replace(/\s+/g, ' ')
    .replace(/[\s,;:-]+$/, '')
    .trim();
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}.`;
}

type Rule = (f: Framed) => StatedFact | undefined;

// Verbs a standing instruction to the assistant starts with ("always show me …", "never page me …").
const INSTRUCTION_VERBS =
  'show|display|give|send|page|ping|notify|alert|message|tell|remind|mention|list|sort|order|format|convert|express|quote|report|answer|reply|respond|write|use|include|add|put|cc|copy|escalate|flag|highlight|round|keep|summari[sz]e|present|group|split|translate|call|wake|bother|disturb|ask|warn|print|attach|link|mark|start|lead|open|bold';

const ALWAYS_NEVER = new RegExp(
  `^(?:please\\s+)?(?:make sure (?:you |to )?)?(always|never|don't ever|do not ever|don't|do not|dont)\\s+((?:${INSTRUCTION_VERBS})\\b.*)$`,
  'i',
);
const PLAIN_IMPERATIVE = new RegExp(`^(?:please\\s+)?((?:${INSTRUCTION_VERBS})\\b.*)$`, 'i');

const standingInstruction: Rule = ({ body, explicit, standing }) => {
  const m = ALWAYS_NEVER.exec(body);
  if (m !== null) {
    const mode = (m[1] ?? '').toLowerCase();
    const action = toSecondPerson(m[2] ?? '');
    if (mode === 'always')
      return { category: 'standing_instruction', text: `You asked me to always ${action}` };
    if (mode === 'never' || mode.endsWith('ever')) {
      return { category: 'standing_instruction', text: `You asked me to never ${action}` };
    }
    // A bare "don't …" is about this answer only, unless it was marked as lasting.
    if (standing || explicit)
      return { category: 'standing_instruction', text: `You asked me to never ${action}` };
    return undefined;
  }
  const p = standing ? PLAIN_IMPERATIVE.exec(body) : null;
  if (p !== null) {
    return { category: 'standing_instruction', text: `You asked me to always ${toSecondPerson(p[1] ?? '')}` };
  }
  return undefined;
};

// What a responsibility is about: a desk, a team, a book, a product line.
const WORK_OBJECT =
  /\b(?:desks?|teams?|books?|groups?|rotas?|shifts?|regions?|units?|pods?|squads?|coverage|settlements?|operations|ops|middle office|back office|confirmations?|affirmations?|breaks|exceptions|fails|ssis?|onboarding|reconciliations?|recs|repos?|equities|equity|fx|bonds?|fixed income|fi|rates|credit|derivatives|futures|options|treasury|collateral|margin|custody|clearing|payments|funding|securities lending|money markets?|emea|apac|americas|latam|asia|europe)\b/i;

const I_AM_ROLE =
  /^i(?:'m| am)\s+((?:now |also |currently |usually |mainly |mostly )?(?:on|in|part of|with|assigned to|responsible for|in charge of|the owner of|the main contact for|the contact for|the backup for|covering|looking after|handling|running|managing|overseeing|working on)\s+.+)$/i;
const I_DO_ROLE =
  /^i\s+((?:now |also |currently |usually |normally |mainly |mostly |generally )?(?:cover|look after|handle|manage|run|own|support|oversee|take care of|work on|work in|sit on|sit in|deal with|look at)\s+.+)$/i;
const MY_ROLE =
  /^my\s+((?:main |home |usual |primary )?(?:desk|team|book|region|shift|rota|coverage|patch|area|working hours|hours)\s+(?:is|are)\s+.+)$/i;

const responsibility: Rule = ({ body }) => {
  const am = I_AM_ROLE.exec(body);
  if (am !== null && WORK_OBJECT.test(am[1] ?? '')) {
    return { category: 'responsibility', text: `You are ${toSecondPerson(am[1] ?? '')}` };
  }
  const does = I_DO_ROLE.exec(body);
  if (does !== null && WORK_OBJECT.test(does[1] ?? '')) {
    return { category: 'responsibility', text: `You ${toSecondPerson(does[1] ?? '')}` };
  }
  const my = MY_ROLE.exec(body);
  if (my !== null) return { category: 'responsibility', text: `Your ${toSecondPerson(my[1] ?? '')}` };
  return undefined;
};

const I_PREFER =
  /^i\s*((?:really |generally |usually |always |much )?(?:prefer|would prefer|'d prefer)\s+.+)$/i;
const I_RATHER = /^i(?:'d| would)\s+(?:much\s+)?rather\s+(.+)$/i;
const I_WANT =
  /^i\s*((?:really |generally |usually |always )?(?:like|want|need|'d like|would like|'d love|would love)\s+(.+))$/i;
const MY_PREFERENCE =
  /^my\s+((?:preferred|favourite|favorite|default)\s+.+?\s+(?:is|are)\s+.+|preference is\s+.+)$/i;
// "I want answers in bullet points" is a lasting preference; "I want to see T-10042" is a request.
const PREFERENCE_OBJECT =
  /^(?:my |the |all |your )?(?:answers|replies|responses|amounts|times|dates|summaries|tables|reports|numbers|figures|alerts|notifications|updates|messages|deadlines|timestamps|charts|lists|bullet points|short answers|brief answers|detailed answers)\b/i;
const LASTING_WORDS = /\b(?:always|by default|every time|whenever|in future|going forward)\b/i;

const preference: Rule = ({ body, explicit, standing }) => {
  const prefer = I_PREFER.exec(body);
  if (prefer !== null) {
    return {
      category: 'preference',
      text: `You ${toSecondPerson((prefer[1] ?? '').replace(/^'d/, 'would'))}`,
    };
  }
  const rather = I_RATHER.exec(body);
  if (rather !== null)
    return { category: 'preference', text: `You would rather ${toSecondPerson(rather[1] ?? '')}` };
  const want = I_WANT.exec(body);
  if (want !== null) {
    const object = want[2] ?? '';
    if (explicit || standing || LASTING_WORDS.test(object) || PREFERENCE_OBJECT.test(object)) {
      return {
        category: 'preference',
        text: `You ${toSecondPerson((want[1] ?? '').replace(/^'d/, 'would'))}`,
      };
    }
    return undefined;
  }
  const my = MY_PREFERENCE.exec(body);
  if (my !== null) return { category: 'preference', text: `Your ${toSecondPerson(my[1] ?? '')}` };
  return undefined;
};

// How a counterparty habitually behaves: the mark of a note rather than a one-off event.
const HABIT =
  '(?:is |are )?(?:usually|always|often|typically|generally|normally|frequently|regularly|rarely|never|sometimes|consistently|routinely|tends? to|tend to)';
const COUNTERPARTY_NAMED = new RegExp(
  `^(?:the\\s+)?counterparty\\s+(\\S+(?:\\s+\\S+){0,4}?)\\s+(${HABIT}\\s+.+)$`,
  'i',
);
const BIC_SUBJECT = new RegExp(`^([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\\s+(${HABIT}\\s+.+)$`);
const NAME_SUBJECT = new RegExp(`^((?:[A-Z][\\w&.'-]*\\s+){0,4}[A-Z][\\w&.'-]*)\\s+(${HABIT}\\s+.+)$`);
const NOT_A_NAME =
  /^(?:I|I'm|We|You|It|They|He|She|This|That|These|Those|There|The|Our|My|Your|Everyone|Nobody)\b/;

const counterpartyNote: Rule = ({ body, explicit }) => {
  const named = COUNTERPARTY_NAMED.exec(body);
  if (named !== null) {
    return {
      category: 'counterparty_note',
      text: `Counterparty ${named[1]} ${toSecondPerson(named[2] ?? '')}`,
    };
  }
  const bic = BIC_SUBJECT.exec(body);
  if (bic !== null)
    return { category: 'counterparty_note', text: `${bic[1]} ${toSecondPerson(bic[2] ?? '')}` };
  // A plain name ("Acme Bank usually …") counts only when the person marked it as worth keeping.
  const name = explicit ? NAME_SUBJECT.exec(body) : null;
  if (name !== null && !NOT_A_NAME.test(name[1] ?? '')) {
    return { category: 'counterparty_note', text: `${name[1]} ${toSecondPerson(name[2] ?? '')}` };
  }
  return undefined;
};

const RULES: readonly Rule[] = [standingInstruction, responsibility, preference, counterpartyNote];
