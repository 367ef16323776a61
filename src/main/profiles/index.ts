// The profiles module's public surface: the profile service and the connections built from it.

export { DEMO_PROFILE_NAME } from '../../shared/profile-types.ts';
export {
  createProfileService,
  type ProfileService,
  type ProfileServiceDeps,
} from './profile-service.ts';
export {
  createProfileConnections,
  type DemoApi,
  type ProfileConnection,
  type ProfileConnections,
  type ProfileConnectionsDeps,
} from './profile-connections.ts';
