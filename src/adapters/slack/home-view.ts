/** The App Home tab: what portpilot does and how to reach it, published when a user opens the tab. */
import type { types } from '@slack/bolt';

const HOME_TEXT = [
  '*Is your phone-number port order rejected?* I explain why your old carrier turned it away and walk you through fixing it, step by step.',
  '*How to reach me*\n• Send me a direct message (the Messages tab above) with the rejection notice or a few words about it.\n• In a channel, mention me (@portpilot) and I answer in a thread: one conversation per thread.\n• Type `/portpilot help`, `/portpilot start &lt;what the notice says&gt;` or `/portpilot restart`.',
  '*Please never type a PIN, passcode, password or Social Security digits here.* Enter a PIN only in the PIN field of your port order.',
];

/** The Home tab view for `views.publish`. */
export function homeView(): types.HomeView {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'portpilot: fix a rejected port order' } },
      ...HOME_TEXT.map((text): types.SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } })),
    ],
  };
}
