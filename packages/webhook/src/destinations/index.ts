/**
 * The destination registry: one config schema per `type` (a discriminated union) and the factory that
 * turns a validated config into a Destination. Add a destination by adding its schema and its case here.
 */
import { z } from 'zod';
import { AirtableDestinationSchema, createAirtable } from './airtable.js';
import { AttioDestinationSchema, createAttio } from './attio.js';
import type { DestinationDeps } from './base.js';
import { CloseDestinationSchema, createClose } from './close.js';
import { createDiscord, DiscordDestinationSchema } from './discord.js';
import { createEmail, EmailDestinationSchema } from './email.js';
import { createGoogleSheets, GoogleSheetsDestinationSchema } from './google-sheets.js';
import { createHubSpot, HubSpotDestinationSchema } from './hubspot.js';
import { createPipedrive, PipedriveDestinationSchema } from './pipedrive.js';
import { createSalesforce, SalesforceDestinationSchema } from './salesforce.js';
import { createSlack, SlackDestinationSchema } from './slack.js';
import { createTeams, TeamsDestinationSchema } from './teams.js';
import type { Destination } from './types.js';
import { createWebhookDestination, WebhookDestinationSchema } from './webhook.js';
import { createZoho, ZohoDestinationSchema } from './zoho.js';

export const DestinationConfigSchema = z.discriminatedUnion('type', [
  WebhookDestinationSchema,
  HubSpotDestinationSchema,
  SalesforceDestinationSchema,
  PipedriveDestinationSchema,
  SlackDestinationSchema,
  EmailDestinationSchema,
  ZohoDestinationSchema,
  CloseDestinationSchema,
  AttioDestinationSchema,
  GoogleSheetsDestinationSchema,
  AirtableDestinationSchema,
  TeamsDestinationSchema,
  DiscordDestinationSchema,
]);
export type DestinationConfig = z.output<typeof DestinationConfigSchema>;

export function createDestination(config: DestinationConfig, deps: DestinationDeps): Destination {
  switch (config.type) {
    case 'webhook':
      return createWebhookDestination(config);
    case 'hubspot':
      return createHubSpot(config);
    case 'salesforce':
      return createSalesforce(config);
    case 'pipedrive':
      return createPipedrive(config);
    case 'slack':
      return createSlack(config);
    case 'email':
      return createEmail(config, deps);
    case 'zoho':
      return createZoho(config, deps);
    case 'close':
      return createClose(config);
    case 'attio':
      return createAttio(config);
    case 'google-sheets':
      return createGoogleSheets(config);
    case 'airtable':
      return createAirtable(config);
    case 'teams':
      return createTeams(config, deps);
    case 'discord':
      return createDiscord(config, deps);
  }
}

export type { DestinationDeps } from './base.js';
export { destinationBase, RetrySchema } from './base.js';
export type { DeliveryContext, DeliveryResult, Destination } from './types.js';
