/**
 * The platform's own words in a flow (not its steps'): the note a call says when it picks a chat up, and the
 * apologies of an `llm` step nobody can answer. A flow may write them per language (`phrases`); otherwise the
 * built-in ones below are used in the conversation's language, English when it has none here.
 */
import type { FlowDefinition, FlowPhraseKey } from '../../contracts/flows.js';

const BUILT_IN: Record<string, Record<FlowPhraseKey, string>> = {
  en: {
    resumed: 'Picking up from our chat.',
    noModel: "Sorry, I can't answer open questions here.",
    modelFailed: "Sorry, I can't answer that right now.",
  },
  es: {
    resumed: 'Seguimos donde lo dejamos en el chat.',
    noModel: 'Lo siento, aquí no puedo responder preguntas abiertas.',
    modelFailed: 'Lo siento, ahora mismo no puedo responder a eso.',
  },
  fr: {
    resumed: 'Reprenons là où nous en étions dans le chat.',
    noModel: 'Désolé, je ne peux pas répondre aux questions ouvertes ici.',
    modelFailed: 'Désolé, je ne peux pas répondre à cela pour le moment.',
  },
  de: {
    resumed: 'Wir machen da weiter, wo wir im Chat aufgehört haben.',
    noModel: 'Entschuldigung, offene Fragen kann ich hier nicht beantworten.',
    modelFailed: 'Entschuldigung, darauf kann ich gerade nicht antworten.',
  },
  pt: {
    resumed: 'Vamos continuar de onde paramos no chat.',
    noModel: 'Desculpe, não consigo responder a perguntas abertas aqui.',
    modelFailed: 'Desculpe, não consigo responder a isso agora.',
  },
  it: {
    resumed: 'Riprendiamo da dove eravamo rimasti nella chat.',
    noModel: 'Mi dispiace, qui non posso rispondere a domande aperte.',
    modelFailed: 'Mi dispiace, al momento non posso rispondere.',
  },
};

/** The built-in phrase for a language tag ("es-MX" → Spanish), English when there is none in it. */
export function builtInPhrase(language: string, key: FlowPhraseKey): string {
  const primary = language.split('-')[0]!.toLowerCase();
  return (BUILT_IN[primary] ?? BUILT_IN['en']!)[key];
}

/** The flow's own phrase in `language` when it wrote one, else the built-in one. */
export function flowPhrase(flow: Pick<FlowDefinition, 'phrases'>, language: string, key: FlowPhraseKey): string {
  return flow.phrases?.[key]?.[language] ?? builtInPhrase(language, key);
}
