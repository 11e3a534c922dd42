import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InstallationStore, webApi } from '@slack/bolt';
import { defaultCallbackFailure, defaultCallbackSuccess, InstallProvider, type CallbackOptions, type InstallURLOptions } from '@slack/oauth';
import type { Logger } from '../../logger.ts';
import type { SlackAuth } from './config.ts';
import { tenantIdOf } from './context.ts';
import { slackLibraryLogger } from './slack-logger.ts';

/**
 * The bot scopes Cohort asks for; slack/manifest.yml declares the same list. The history scopes let
 * a scheduled post that is retried find its earlier copy (public and private channels).
 */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'users:read', 'usergroups:read', 'channels:history', 'groups:history'] as const;

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

/** The "Add to Slack" page: one link to Slack's consent screen, nothing loaded from elsewhere. */
function installPage(url: string): string {
  const href = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Add Cohort to Slack</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;text-align:center}a{display:inline-block;padding:.7rem 1.2rem;border-radius:.4rem;background:#4a154b;color:#fff;text-decoration:none;font-weight:600}</style>
</head><body>
<h1>Cohort</h1>
<p>Quizzes, leaderboards and a tutor for the Google Cloud Professional Machine Learning Engineer exam, in your workspace.</p>
<p><a id="add-to-slack" href="${href}">Add to Slack</a></p>
</body></html>`;
}

export type OAuthRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface SlackOAuth {
  installer: InstallProvider;
  /** Serves GET /slack/install (the "Add to Slack" page) and GET /slack/oauth_redirect (stores the install). */
  routes: { path: string; handler: OAuthRequestHandler }[];
}

/**
 * Multi-workspace installs with Slack's OAuth installer: a state cookie guards the flow, the
 * installation (with its bot token) goes to our database, and Bolt's authorize reads it back.
 */
export function createSlackOAuth(
  auth: Extract<SlackAuth, { kind: 'oauth' }>,
  options: { installationStore: InstallationStore; clientOptions: webApi.WebClientOptions; logger: Logger },
): SlackOAuth {
  const { logger } = options;
  const installer = new InstallProvider({
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    stateSecret: auth.stateSecret,
    installationStore: options.installationStore,
    logger: slackLibraryLogger(logger),
    clientOptions: options.clientOptions,
    renderHtmlForInstallPath: installPage,
  });
  const installUrlOptions: InstallURLOptions = { scopes: [...SLACK_BOT_SCOPES], ...(auth.redirectUri ? { redirectUri: auth.redirectUri } : {}) };
  const callbackOptions: CallbackOptions = {
    success: (installation, installOptions, req, res) => {
      const tenant = tenantIdOf({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall: installation.isEnterpriseInstall });
      logger.info({ tenant }, 'slack app installed');
      defaultCallbackSuccess(installation, installOptions, req, res);
    },
    failure: (error, installOptions, req, res) => {
      logger.warn({ code: error.code, error: error.message }, 'slack install failed');
      defaultCallbackFailure(error, installOptions, req, res);
    },
  };
  const guarded = (handle: OAuthRequestHandler): OAuthRequestHandler => async (req, res) => {
    try {
      await handle(req, res);
    } catch (error) {
      logger.error({ err: error }, 'slack install page failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The install page failed. Please try again.');
    }
  };
  return {
    installer,
    routes: [
      { path: INSTALL_PATH, handler: guarded((req, res) => installer.handleInstallPath(req, res, {}, installUrlOptions)) },
      { path: REDIRECT_PATH, handler: guarded((req, res) => installer.handleCallback(req, res, callbackOptions)) },
    ],
  };
}
