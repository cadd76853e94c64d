/** The example flows shipped with Switchboard (seeded, published, for the demo tenant). */
import type { FlowDefinitionInput } from '../../../contracts/flows.js';
import appointmentBooking from './appointment-booking.json' with { type: 'json' };
import billingSupport from './billing-support.json' with { type: 'json' };
import orderStatus from './order-status.json' with { type: 'json' };

export const EXAMPLE_FLOWS: readonly FlowDefinitionInput[] = [
  appointmentBooking as FlowDefinitionInput,
  orderStatus as FlowDefinitionInput,
  billingSupport as FlowDefinitionInput,
];
