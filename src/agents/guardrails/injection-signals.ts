/*
 * The weighted signals of the prompt-injection screen. Each is evidence, not a verdict: the screen
 * adds the weights of the distinct signals found in any view of the text and compares the sum with a
 * threshold. Phrase signals read the normalised text (lower case, one space); role markers read it
 * line by line; compact signals read it with everything but letters removed, which catches phrases
 * whose letters were spaced, dotted or split by any separator.
 */

/** One weighted signal. */
export interface Signal {
  readonly name: string;
  readonly weight: number;
  readonly regex: RegExp;
}

const GAP = '[^.?!;\\n]{0,40}?';
const SHORT = '[^.?!;\\n]{0,25}?';
const RULES =
  '(instructions?|prompts?|rules|directions|directives|guidelines|guidance|polic(y|ies)|guardrails|restrictions|safeguards|programming|constraints|system rules)';

const re = (source: string): RegExp => new RegExp(source, 'i');

/** Signals on the normalised, single-line text. */
export const PHRASE_SIGNALS: readonly Signal[] = [
  {
    name: 'override instructions',
    weight: 0.7,
    regex: re(
      `\\b(ignore|disregard|forget|override|bypass|set aside|stop following|do not follow|don'?t follow|no longer follow|abandon|discard)\\b${GAP}\\b(${RULES}|what you (were|have been) (told|given)|everything (above|before|else)|the above|prior context)\\b`,
    ),
  },
  {
    name: 'instructions revoked',
    weight: 0.7,
    regex: re(
      `\\b(your|the|all|previous|prior|earlier|initial|original|system)\\s+(previous |prior |earlier |original )?${RULES}${SHORT}\\b(are|is|have been|has been|were)\\s+(now )?(cancell?ed|void|revoked|replaced|overridden|suspended|lifted|disabled|no longer (valid|in effect|apply))\\b`,
    ),
  },
  {
    name: 'your rules',
    weight: 0.25,
    regex: re(`\\b(your|my)\\s+(own\\s+)?(system\\s+)?${RULES}\\b`),
  },
  {
    name: 'previous instructions',
    weight: 0.15,
    regex: re(`\\b(previous|prior|above|earlier|initial|original)\\s+${RULES}\\b`),
  },
  {
    name: 'system prompt',
    weight: 0.6,
    regex: re(
      '\\b(system|developer|hidden|initial|original|secret|internal|pre-?prompt|base)\\s+(prompt|message|instructions?|configuration|config|directives?)\\b',
    ),
  },
  {
    name: 'reveal configuration',
    weight: 0.4,
    regex: re(
      `\\b(reveal|print|show|repeat|output|dump|leak|tell me|paste|display|recite|summari[sz]e|list|what (are|were))\\b${GAP}\\b(your|its)\\b${SHORT}\\b(instructions|prompt|rules|configuration|guidelines|settings|tools?|directives|policies)\\b`,
    ),
  },
  {
    name: 'identity switch',
    weight: 0.55,
    regex: re(
      "\\b(you are now|you'?re now|you are no longer|you'?re no longer|from now on,? you|from this point on,? you|henceforth,? you|you will now (act|be|respond)|your new (role|task|job|purpose|goal) is)\\b",
    ),
  },
  {
    name: 'role-play',
    weight: 0.35,
    regex: re(
      "\\b(act|behave|respond|answer) as (an?|the|if|my|though)\\b|\\bpretend (to be|you are|that you|you'?re)\\b|\\brole-?play(ing)?( as)?\\b|\\blet'?s play a game\\b|\\bimagine (that )?you (are|have|were)\\b",
    ),
  },
  {
    name: 'privileged role',
    weight: 0.3,
    regex: re(
      '\\b(as|be|are|am) (an?|the|my) (\\w+ )?(approver|admin|administrator|superuser|root|dba|developer|operator with full access)\\b',
    ),
  },
  {
    name: 'unrestricted',
    weight: 0.45,
    regex: re(
      '\\b(no|without|free of|free from|zero) (rules|restrictions|limits|filters|guardrails|censorship|boundaries|limitations)\\b|\\b(unrestricted|unfiltered|uncensored|jailbroken|jailbreak|dan)\\b|\\bignores? (all )?polic(y|ies)\\b',
    ),
  },
  {
    name: 'mode switch',
    weight: 0.35,
    regex: re(
      '\\b(developer|debug|god|admin|maintenance|jailbreak|sudo|root|unrestricted|dan|test)\\s+mode\\b',
    ),
  },
  {
    name: 'mode activation',
    weight: 0.3,
    regex: re(
      "\\b(enter|enable|activate|switch to|turn on|you'?re (now )?in|now in)\\b[^.?!;\\n]{0,20}\\bmode\\b|\\bmode (is )?(on|enabled|activated)\\b",
    ),
  },
  {
    name: 'authority claim',
    weight: 0.4,
    regex: re(
      '\\b(message|notice|update|announcement|memo|order) from (the )?(\\w+ )?(developers?|admins?|administrators?|system|security( team)?|engineering|aws|anthropic|openai|management)\\b|\\b(admin|administrator|developer|system|security|root) (override|notice|update|message|announcement|command)\\b|\\bi am (an? |the |your )?(admin|administrator|developer|creator|root|owner)\\b|\\bi have (full )?(clearance|authori[sz]ation|admin rights|root access)\\b|\\btreat me as (an? )?(admin|administrator|approver|root|superuser)\\b|\\byou are (now |hereby )?authori[sz]ed to\\b|\\bdeveloper here\\b',
    ),
  },
  {
    name: 'new policy',
    weight: 0.5,
    regex: re(
      '\\b(new|updated|revised|real|actual|true|override)\\s+(instructions?|polic(y|ies)|rules|directives?|orders|task)\\s*[:—–-]|\\b(polic(y|ies)|rules?) (has been |have been |is |are |was )?(updated|changed|revised|lifted|suspended)\\b',
    ),
  },
  {
    name: 'access escalation',
    weight: 0.5,
    regex: re(
      `\\b(skip|bypass|disable|turn off|ignore|without|lift|remove|circumvent)\\b${SHORT}\\b(entitlements?|entitlement (checks?|filtering)|access (control|checks?)|desk restrictions|permissions|safety checks|security checks|filtering|masking|redaction)\\b|\\b(entitlements?|entitlement filtering|safety checks|security checks|filtering|restrictions|masking|access control) (are |is )?(now )?(off|disabled|lifted|suspended|removed|no longer apply|no longer applies)\\b|\\b(entitlements?|restrictions|rules) no longer apply\\b|\\bgrant (me|us) (full )?access\\b`,
    ),
  },
  {
    name: 'every desk',
    weight: 0.3,
    regex: re(
      "\\b(every|all|each|other) (desks?|desk's|accounts?|account numbers|records|counterparty accounts?)\\b|\\ball desks'|\\bevery desk's\\b|\\bconfidential data\\b",
    ),
  },
  {
    name: 'unmask',
    weight: 0.4,
    regex: re(
      '\\b(unmasked|in full|full accounts?|full account numbers?|raw (table|items|records|data|dynamodb)|whole (trades )?table|entire (table|database))\\b',
    ),
  },
  {
    name: 'bulk export',
    weight: 0.4,
    regex: re(
      `\\b(dump|export|exfiltrate|extract)\\b${SHORT}\\b(all|every|entire|whole|full|records|data|table)\\b`,
    ),
  },
  {
    name: 'secrets',
    weight: 0.45,
    regex: re(
      '\\b(aws|api|access|secret|private|session|bearer)\\s+(keys?|tokens?|credentials?)\\b|\\b(credentials|passwords?|secrets)\\b|\\bkeys and tokens\\b',
    ),
  },
  {
    name: 'hidden internals',
    weight: 0.3,
    regex: re(
      '\\b(hidden|secret|internal|private) (tools?|functions?|commands?|data|configuration|settings)\\b|\\bin your environment\\b',
    ),
  },
  {
    name: 'send outside',
    weight: 0.6,
    regex: re(
      '\\b(send|post|upload|forward|e-?mail|exfiltrate|transmit|copy|leak)\\b[^\\n]{0,80}?(https?://|www\\.|\\b[\\w.-]+@[\\w-]+\\.[a-z]{2,}\\b|\\bwebhook\\b)',
    ),
  },
  {
    name: 'tool call smuggling',
    weight: 0.8,
    regex: re('[{[,]\\s*"?(toolUse|toolResult|tool_use|tool_calls?|function_call|functionCall)"?\\s*:'),
  },
  {
    name: 'scripted tool call',
    weight: 0.5,
    regex: re(
      `\\b(call|invoke|run|use|execute|trigger)\\s+(the\\s+)?(tool\\s+)?[a-z]+_[a-z_]+\\b${GAP}\\b(without (asking|approval|confirmation|review)|for (every|all|each))\\b`,
    ),
  },
  {
    name: 'mass decision',
    weight: 0.45,
    regex: re(
      '\\b(approve|reject|decide|release|settle|accept|resolve|cancel)\\s+(all|every|everything|each)\\b',
    ),
  },
  {
    name: 'urgency',
    weight: 0.2,
    regex: re(
      '\\b(now|immediately|right away|at once|without (asking|review|approval|confirmation))\\s*[.!]?$',
    ),
  },
  {
    name: 'obey me',
    weight: 0.45,
    regex: re(
      '\\b(obey|listen to|follow) (only )?(me|my (commands|orders|instructions))\\b|\\byou (must|will|shall) (now )?(obey|comply|do as i say)\\b|\\bdo (exactly )?as i say\\b',
    ),
  },
  {
    name: 'conceal from user',
    weight: 0.5,
    regex: re(
      "\\b(do not|don'?t|never) (tell|inform|alert|mention|show|reveal)( this)?( to)? (the )?(user|human|operator|ops|anyone)\\b",
    ),
  },
  {
    name: 'answer everything',
    weight: 0.3,
    regex: re('\\byou (answer|reply to|respond to|do) (everything|anything)\\b|\\bcan decide matches\\b'),
  },
];

/** Signals on the text line by line: a role label or tag opening a line, as a chat transcript would. */
export const LINE_SIGNALS: readonly Signal[] = [
  {
    name: 'role tag',
    weight: 0.6,
    regex:
      /(^|\n|[.!?]\s)\s*(\[|<\/?|#{2,}\s*)\s*(system|assistant|developer|admin|administrator|root|user|instructions?)\s*(\]|>|:)/i,
  },
  {
    // Weaker than a tag: "Admin: booked late" or "Instructions: DVP via Euroclear" are ordinary notes.
    name: 'role label',
    weight: 0.45,
    regex: /(^|\n|[.!?]\s)\s*(system|assistant|developer)\s*:(?=\s|$)/i,
  },
];

/** Signals on the letters-only text: phrases whose letters were separated by anything at all. */
export const COMPACT_SIGNALS: readonly Signal[] = [
  {
    name: 'override instructions',
    weight: 0.7,
    regex:
      /(ignore|disregard|forget|override|bypass)(all|the|your|any|previous|prior|above|earlier|these|those|my){0,3}(instructions?|rules|guidelines|prompts?|directions|policies|guardrails)/,
  },
  { name: 'system prompt', weight: 0.6, regex: /systemprompt|initialinstructions|hiddeninstructions/ },
  { name: 'identity switch', weight: 0.55, regex: /youarenow|yourenow|youarenolonger/ },
  { name: 'mode switch', weight: 0.35, regex: /(developer|debug|god|jailbreak)mode/ },
];
