import type { ResponseOf } from './client';

/** Shapes of the admin and provider pages, all derived from the operations table. */
export type CarrierAccount = ResponseOf<'listCarriers'>['items'][number];
export type PhoneNumber = ResponseOf<'listNumbers'>['items'][number];
export type FlowSummary = ResponseOf<'listFlows'>['items'][number];
export type FlowDetail = ResponseOf<'getFlow'>;
export type FlowVersionSummary = ResponseOf<'listFlowVersions'>['items'][number];
export type FlowValidation = ResponseOf<'validateFlow'>;
export type FlowIssue = FlowValidation['errors'][number];
export type User = ResponseOf<'listUsers'>['items'][number];
export type ApiKey = ResponseOf<'listApiKeys'>['items'][number];
export type CreatedApiKey = ResponseOf<'createApiKey'>;
export type ProviderHealth = ResponseOf<'getProvidersHealth'>['providers'][number];
export type ProviderSample = ResponseOf<'getProvidersHealthHistory'>['samples'][number];
