/** The channel contract (channel.contract.ts) on every channel: web, terminal, Slack and Discord (each in a DM and a thread). */
import { channelContract } from './channel.contract.js';
import { discordDriver, slackDriver, terminalDriver, webDriver } from './drivers.js';

channelContract(webDriver());
channelContract(terminalDriver());
channelContract(slackDriver('dm'));
channelContract(slackDriver('thread'));
channelContract(discordDriver('dm'));
channelContract(discordDriver('thread'));
