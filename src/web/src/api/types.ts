import type { ResponseOf } from './client';

/** Shapes the pages pass around, all derived from the operations table. */
export type FlagsData = ResponseOf<'listFlags'>;
export type Flag = FlagsData['flags'][number];
export type ScenariosData = ResponseOf<'listScenarios'>;
export type Scenario = ScenariosData['scenarios'][number];
export type ScenarioName = Scenario['name'];
export type SessionsPage = ResponseOf<'listSessions'>;
export type Session = SessionsPage['items'][number];
export type CreatedSession = ResponseOf<'createSession'>;
