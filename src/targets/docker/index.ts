export { createDockerTarget, DockerTarget } from './docker-target.js';
