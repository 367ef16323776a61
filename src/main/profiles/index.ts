// The profiles module's public surface: the profile service and the connections built from it.

export {
  createProfileService,
  DEMO_PROFILE_NAME,
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
