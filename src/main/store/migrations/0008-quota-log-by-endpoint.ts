// An index that answers the limiter's daily count (one customer, one endpoint, the last 24 hours)
// from the index alone: it runs before every request, in every process sharing the data file.

import type { Migration } from './index.ts';

export const m0008QuotaLogByEndpoint: Migration = {
  name: 'quota-log-by-endpoint',
  up(db) {
    db.exec('CREATE INDEX quota_log_by_endpoint ON quota_log (customer_id, endpoint, sent_at);');
  },
};
